"""/wp/v2/categories (live sections) and /wp/v2/tags (tags of published articles)."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import escape

from taggit.models import Tag
from wagtail.models import Page, Site

from murasil.news.models import Article, ArticleTag, SectionPage

from .params import Arg, paging
from .public_ids import Kind, PublicIds, to_object_ids
from .resource import CURIES, Resource, href

TERM_ORDERBY = ("id", "include", "name", "slug", "include_slugs", "term_group", "description", "count")


def _count(subquery: QuerySet, key: str):
    counted = subquery.values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def site_root_path() -> str:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").only("root_page__url_path").first()
    return site.root_page.url_path if site else "/"


class TermResource(Resource):
    kind = ""
    taxonomy = ""
    edit_message = "Sorry, you are not allowed to edit terms in this taxonomy."
    invalid_id = ("rest_term_invalid", "Term does not exist.", 404)
    invalid_page = None  # WordPress answers [] past the last page of terms
    default_order = "asc"
    orderings = {"name": ("name",), "id": ("pk",), "slug": ("slug",), "count": ("count",), "description": ("name",)}
    embed_fields = ("id", "link", "name", "slug", "taxonomy", "_links")

    @property
    def args(self) -> dict[str, Arg]:
        return {
            **paging(),
            "order": Arg("enum", "asc", choices=("asc", "desc")),
            "orderby": Arg("enum", "name", choices=TERM_ORDERBY),
            "hide_empty": Arg("bool", False),
            "post": Arg("int"),
            "slug": Arg("str_list", []),
        }

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["search"]:
            queryset = queryset.filter(
                Q(**{self.name_field + "__icontains": values["search"]}) | Q(slug__icontains=values["search"])
            )
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        if values["hide_empty"]:
            queryset = queryset.filter(count__gt=0)
        if values["post"] is not None:
            queryset = queryset.filter(pk__in=self.of_post(values["post"]))
        return queryset

    name_field = "name"

    def of_post(self, public_id: int) -> list[int]:
        raise NotImplementedError

    def term_links(self, public_id: int) -> dict:
        return {
            **self.collection_links(public_id),
            "about": href(f"wp/v2/taxonomies/{self.taxonomy}"),
            "wp:post_type": href(f"wp/v2/posts?{'categories' if self.taxonomy == 'category' else 'tags'}={public_id}"),
            "curies": CURIES,
        }


class CategoryResource(TermResource):
    route = "wp/v2/categories"
    kind = Kind.CATEGORY
    taxonomy = "category"
    name_field = "title"
    orderings = {**TermResource.orderings, "name": ("title",), "description": ("description",)}

    @property
    def args(self) -> dict[str, Arg]:
        return {**super().args, "parent": Arg("int")}

    def visible(self) -> QuerySet:
        articles = Article.objects.published().filter(section=OuterRef("pk"))
        return (
            SectionPage.objects.live()
            .public()
            .only("id", "title", "slug", "description", "url_path", "path", "depth")
            .annotate(count=_count(articles, "section"))
        )

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["parent"] is not None:
            if values["parent"] == 0:
                queryset = queryset.filter(depth=3)  # directly under the home page
            else:
                parents = SectionPage.objects.filter(pk__in=to_object_ids(Kind.CATEGORY, [values["parent"]]))
                parent = parents.first()
                queryset = queryset.child_of(parent) if parent else queryset.none()
        return queryset

    def of_post(self, public_id: int) -> list[int]:
        from murasil.wordpress.models import WordPressObject

        pks = to_object_ids(Kind.POST, [public_id])
        article = Article.objects.published().filter(pk__in=pks).only("section_id").first()
        if article is None:
            return []
        data = (
            WordPressObject.objects.filter(kind=Kind.POST, object_id=article.pk).values_list("data", flat=True).first()
        )
        if data and data.get("categories"):
            return to_object_ids(Kind.CATEGORY, data["categories"])
        return [article.section_id]

    def serialize(self, sections: list, ids: PublicIds, fields) -> list[dict]:
        parent_paths = {s.path[: -Page.steplen] for s in sections if s.depth > 3}
        parents = (
            dict(SectionPage.objects.filter(path__in=parent_paths).values_list("path", "pk")) if parent_paths else {}
        )
        ids.want(Kind.CATEGORY, [s.pk for s in sections] + list(parents.values()))
        ids.resolve()
        root = site_root_path()
        items = []
        for section in sections:
            public_id = ids.get(Kind.CATEGORY, section.pk)
            parent = ids.get(Kind.CATEGORY, parents.get(section.path[: -Page.steplen])) if section.depth > 3 else 0
            links = self.term_links(public_id)
            if parent:
                links = {**links, "up": href(f"{self.route}/{parent}", embeddable=True)}
            items.append(
                {
                    "id": public_id,
                    "count": section.count,
                    "description": section.description,
                    "link": settings.MURASIL_SITE_URL + "/" + section.url_path[len(root) :],
                    "name": escape(section.title),
                    "slug": section.slug,
                    "taxonomy": "category",
                    "parent": parent,
                    "meta": [],
                    "_links": links,
                }
            )
        return items


class TagResource(TermResource):
    route = "wp/v2/tags"
    kind = Kind.TAG
    taxonomy = "post_tag"

    def visible(self) -> QuerySet:
        published = Article.objects.published().values("pk")
        used = ArticleTag.objects.filter(content_object_id__in=published)
        return Tag.objects.filter(pk__in=used.values("tag_id")).annotate(
            count=_count(used.filter(tag_id=OuterRef("pk")), "tag_id")
        )

    def of_post(self, public_id: int) -> list[int]:
        pks = to_object_ids(Kind.POST, [public_id])
        published = Article.objects.published().filter(pk__in=pks).values("pk")
        return list(ArticleTag.objects.filter(content_object_id__in=published).values_list("tag_id", flat=True))

    def serialize(self, tags: list, ids: PublicIds, fields) -> list[dict]:
        ids.want(Kind.TAG, [t.pk for t in tags])
        ids.resolve()
        items = []
        for tag in tags:
            public_id = ids.get(Kind.TAG, tag.pk)
            items.append(
                {
                    "id": public_id,
                    "count": tag.count,
                    "description": "",
                    "link": settings.MURASIL_SITE_URL + reverse("news:tag", kwargs={"slug": tag.slug}),
                    "name": escape(tag.name),
                    "slug": tag.slug,
                    "taxonomy": "post_tag",
                    "meta": [],
                    "_links": self.term_links(public_id),
                }
            )
        return items
