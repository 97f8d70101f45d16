"""/wp/v2/posts: published articles in WordPress's post shape (Article.objects.published() only)."""

import hashlib
from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import escape

from murasil.comments.models import CommentSettings
from murasil.comments.moderation import comments_closed
from murasil.core.chrome import cached_with_chrome
from murasil.news.models import Article, ArticleReporter, ArticleTag
from murasil.search.index import search as arabic_search

from .content import paragraph, render_bodies, text_of
from .http import WPError
from .params import CONTEXT, Arg, paging
from .public_ids import Kind, PublicIds, to_object_ids
from .resource import CURIES, Resource, first_per_key, href, rendered, wanted, wp_dates

EXCERPT_WORDS = 55  # WordPress's excerpt_length
# Rendered bodies are kept this long per published version (an embed or photo file changed in place
# shows after at most this).
BODY_CACHE_SECONDS = 3600

POST_ORDERBY = ("author", "date", "id", "include", "modified", "parent", "relevance", "slug", "include_slugs", "title")
POST_STATUSES = (
    "publish",
    "future",
    "draft",
    "pending",
    "private",
    "trash",
    "auto-draft",
    "inherit",
    "request-pending",
    "request-confirmed",
    "request-failed",
    "request-completed",
    "any",
)


def auto_excerpt(text: str) -> str:
    words = text.split()
    if len(words) <= EXCERPT_WORDS:
        return " ".join(words)
    return " ".join(words[:EXCERPT_WORDS]) + " [&hellip;]"


def wp_category_post_ids(category_ids: list[int]):
    """Imported posts whose WordPress categories include any of `category_ids`, as an id subquery."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from murasil.wordpress.models import WordPressObject

    if connection.vendor == "postgresql":
        condition = Q()
        for category in category_ids:
            condition |= Q(data__categories__contains=[category])
        return WordPressObject.objects.filter(condition, kind=Kind.POST).values("object_id")
    # SQLite has no JSON containment: look inside the array with json_each.
    marks = ", ".join(["%s"] * len(category_ids))
    sql = (
        "SELECT w.object_id FROM wordpress_wordpressobject w WHERE w.kind = %s AND EXISTS "  # noqa: S608
        f"(SELECT 1 FROM json_each(w.data, '$.categories') WHERE value IN ({marks}))"
    )
    return RawSQL(sql, [Kind.POST.value, *category_ids])  # noqa: S611 - only placeholders are formatted in


def rendered_bodies(articles: list) -> dict[int, tuple[str, str]]:
    """{article id: (body HTML, body text)}, from the cache when this version of the article was seen.

    The key holds the publish time: a row carries live content only, which changes only on publish.
    Bodies are read from the database only for the misses (one query, none when all are cached).
    """
    keys = {
        a.pk: f"wp_api:body:{a.pk}:{a.last_published_at.timestamp() if a.last_published_at else 0}" for a in articles
    }
    cached = cache.get_many(list(keys.values()))
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in found]
    if missing:
        raw = dict(Article.objects.filter(pk__in=missing).values_list("pk", "body"))
        ordered = [pk for pk in missing if pk in raw]
        html = render_bodies([raw[pk].raw_data for pk in ordered])
        fresh = {pk: (page, text_of(raw[pk].raw_data)) for pk, page in zip(ordered, html, strict=True)}
        cache.set_many({keys[pk]: value for pk, value in fresh.items()}, BODY_CACHE_SECONDS)
        found.update(fresh)
    return found


class ArticleRow(SimpleNamespace):
    """What a post needs from an article row; quacks like Article for comments_closed()."""

    COLUMNS = (
        "pk", "title", "slug", "standfirst", "first_published_at", "last_published_at",
        "featured_image_id", "is_featured", "comments_open", "section_id", "section__slug",
    )  # fmt: skip

    @property
    def full_url(self) -> str:
        kwargs = {"section": self.section__slug, "pk": self.pk, "slug": self.slug or "article"}
        return settings.MURASIL_SITE_URL + reverse("news:article", kwargs=kwargs)


# Arguments that choose a page of the list or how it is written, not which posts are in it.
PAGE_ONLY_ARGS = frozenset({"page", "per_page", "order", "orderby", "_fields", "_embed", "context"})
COUNT_TTL = 60


class PostResource(Resource):
    route = "wp/v2/posts"
    kind = Kind.POST
    date_field = "first_published_at"
    args = {
        **paging(),
        "after": Arg("date"),
        "before": Arg("date"),
        "modified_after": Arg("date"),
        "modified_before": Arg("date"),
        "author": Arg("int_list", []),
        "author_exclude": Arg("int_list", []),
        "order": Arg("enum", "desc", choices=("asc", "desc")),
        "orderby": Arg("enum", "date", choices=POST_ORDERBY),
        "slug": Arg("str_list", []),
        "status": Arg("enum_list", ["publish"], choices=POST_STATUSES),
        "categories": Arg("int_list", []),
        "categories_exclude": Arg("int_list", []),
        "tags": Arg("int_list", []),
        "tags_exclude": Arg("int_list", []),
        "sticky": Arg("bool"),
    }
    item_args = {"context": CONTEXT}
    orderings = {
        "date": ("first_published_at",),
        "id": ("pk",),
        "title": ("title",),
        "modified": ("last_published_at",),
        "slug": ("slug",),
    }
    embed_fields = ("id", "date", "slug", "type", "link", "title", "excerpt", "author", "featured_media", "_links")

    def visible(self) -> QuerySet:
        return Article.objects.published()

    def fetch(self, queryset: QuerySet) -> list:
        """Plain rows, not Article instances: building 100 clusterable models costs more than the query."""
        return [ArticleRow(**row) for row in queryset.values(*ArticleRow.COLUMNS)]

    def check(self, values: dict) -> None:
        if any(status != "publish" for status in values["status"]):
            # WordPress's sanitize_post_statuses: other statuses need a signed-in editor.
            raise WPError(
                "rest_invalid_param",
                "Invalid parameter(s): status",
                400,
                params={"status": "Status is forbidden."},
                details={
                    "status": {
                        "code": "rest_forbidden_status",
                        "message": "Status is forbidden.",
                        "data": {"status": 401},
                    }
                },
            )
        if values["orderby"] == "relevance" and not values["search"]:
            raise WPError("rest_no_search_term_defined", "You need to define a search term to order by relevance.", 400)
        if values["orderby"] == "include" and not values["include"]:
            raise WPError(
                "rest_orderby_include_missing_include",
                "You need to define an include parameter to order by include.",
                400,
            )

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["modified_after"]:
            queryset = queryset.filter(last_published_at__gt=values["modified_after"])
        if values["modified_before"]:
            queryset = queryset.filter(last_published_at__lt=values["modified_before"])
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        if values["author"]:
            reporters = to_object_ids(Kind.USER, values["author"])
            queryset = queryset.filter(article_reporters__reporter_id__in=reporters).distinct()
        if values["author_exclude"]:
            reporters = to_object_ids(Kind.USER, values["author_exclude"])
            queryset = queryset.exclude(article_reporters__reporter_id__in=reporters)
        if values["categories"]:
            queryset = queryset.filter(self.in_categories(values["categories"]))
        if values["categories_exclude"]:
            queryset = queryset.exclude(self.in_categories(values["categories_exclude"]))
        if values["tags"]:
            tags = to_object_ids(Kind.TAG, values["tags"])
            queryset = queryset.filter(pk__in=ArticleTag.objects.filter(tag_id__in=tags).values("content_object_id"))
        if values["tags_exclude"]:
            tags = to_object_ids(Kind.TAG, values["tags_exclude"])
            queryset = queryset.exclude(pk__in=ArticleTag.objects.filter(tag_id__in=tags).values("content_object_id"))
        if values["sticky"] is not None:
            queryset = (
                queryset.filter(self.sticky_condition())
                if values["sticky"]
                else queryset.exclude(self.sticky_condition())
            )
        return queryset

    @staticmethod
    def in_categories(public_ids: list[int]) -> Q:
        """Articles in these categories: their section, or for imported posts their WordPress categories."""
        from murasil.wordpress.models import WordPressObject

        sections = to_object_ids(Kind.CATEGORY, public_ids)
        imported = WordPressObject.objects.filter(kind=Kind.POST).values("object_id")
        native = Q(section_id__in=sections) & ~Q(pk__in=imported)
        return native | Q(pk__in=wp_category_post_ids(public_ids))

    @staticmethod
    def sticky_condition() -> Q:
        """Sticky: WordPress's flag for imported posts, "featured" for articles made in Murasil."""
        from murasil.wordpress.models import WordPressObject

        posts = WordPressObject.objects.filter(kind=Kind.POST)
        imported = posts.values("object_id")
        sticky = posts.filter(data__sticky=True).values("object_id")
        return Q(pk__in=sticky) | (Q(is_featured=True) & ~Q(pk__in=imported))

    def count(self, queryset: QuerySet, values: dict) -> int:
        # Counting every published article reads each row (110 ms at 100k on SQLite, every request);
        # apps ask for the same lists again and again. The count is kept under the chrome version,
        # which every publish, unpublish and delete bumps, and for COUNT_TTL at most (an expiry).
        selection = {k: v for k, v in values.items() if k not in PAGE_ONLY_ARGS}
        key = "posts-total:" + hashlib.sha256(repr(sorted(selection.items())).encode()).hexdigest()[:32]
        return cached_with_chrome(key, queryset.count, ttl=COUNT_TTL)

    def page(self, values: dict) -> tuple[int, list]:
        if not values["search"]:
            return super().page(values)
        queryset = self.narrow(self.visible(), values)
        relevance = values["orderby"] == "relevance"
        found = arabic_search(values["search"], within=queryset, order="relevance" if relevance else "newest").ids
        if relevance:
            total = len(found)
            self.check_page(values, total)
            start, stop = self.bounds(values)
            chosen = found[start:stop]
            by_pk = {a.pk: a for a in self.fetch(self.visible().filter(pk__in=chosen))}
            return total, [by_pk[pk] for pk in chosen if pk in by_pk]
        queryset = self.order(self.visible().filter(pk__in=found), values)
        total = queryset.count()
        self.check_page(values, total)
        start, stop = self.bounds(values)
        return total, self.fetch(queryset[start:stop])

    def modified(self, article):
        return article.last_published_at or article.first_published_at

    def serialize(self, articles: list, ids: PublicIds, fields: set[str] | None) -> list[dict]:
        pks = [a.pk for a in articles]
        bylines = first_per_key(
            ArticleReporter.objects.filter(article_id__in=pks)
            .order_by("article_id", "sort_order", "id")
            .values_list("article_id", "reporter_id")
        )
        tags = defaultdict(list)
        for article_id, tag_id, slug in (
            ArticleTag.objects.filter(content_object_id__in=pks)
            .order_by("id")
            .values_list("content_object_id", "tag_id", "tag__slug")
        ):
            tags[article_id].append((tag_id, slug))
        ids.want(Kind.POST, pks)
        ids.want(Kind.USER, bylines.values())
        ids.want(Kind.TAG, [tag for pairs in tags.values() for tag, _slug in pairs])
        ids.want(Kind.ATTACHMENT, [a.featured_image_id for a in articles])
        ids.want(Kind.CATEGORY, [a.section_id for a in articles])
        ids.resolve()
        conf = CommentSettings.load()
        bodies = rendered_bodies(articles) if wanted(fields, "content") or wanted(fields, "excerpt") else {}
        items = []
        for article in articles:
            public_id = ids.get(Kind.POST, article.pk)
            data = ids.post_data.get(article.pk)
            date, date_gmt = wp_dates(article.first_published_at)
            modified, modified_gmt = wp_dates(self.modified(article))
            categories = list(data.get("categories") or []) if data else []
            if not categories:
                categories = [ids.get(Kind.CATEGORY, article.section_id)]
            tag_ids = [ids.get(Kind.TAG, tag) for tag, _slug in tags[article.pk]]
            author = ids.get(Kind.USER, bylines.get(article.pk))
            featured = ids.get(Kind.ATTACHMENT, article.featured_image_id)
            sticky = bool(data.get("sticky")) if data is not None else article.is_featured
            post_format = (data or {}).get("format") or "standard"
            html, text = bodies.get(article.pk, ("", ""))
            excerpt = article.standfirst or auto_excerpt(text)
            item = {
                "id": public_id,
                "date": date,
                "date_gmt": date_gmt,
                "guid": rendered((data or {}).get("guid") or f"{settings.MURASIL_SITE_URL}/?p={public_id}"),
                "modified": modified,
                "modified_gmt": modified_gmt,
                "slug": article.slug,
                "status": "publish",
                "type": "post",
                "link": article.full_url,
                "title": rendered(escape(article.title)),
                "content": rendered(html, False),
                "excerpt": rendered(paragraph(excerpt), False),
                "author": author,
                "featured_media": featured,
                "comment_status": "closed" if comments_closed(article, conf) else "open",
                "ping_status": "closed",
                "sticky": sticky,
                "template": "",
                "format": post_format,
                "meta": [],
                "categories": categories,
                "tags": tag_ids,
                "class_list": self.class_list(public_id, featured, post_format, sticky, article, tags[article.pk]),
                "_links": self.links(public_id, author, featured),
            }
            items.append(item)
        return items

    @staticmethod
    def class_list(public_id, featured, post_format, sticky, article, tags) -> list[str]:
        classes = [f"post-{public_id}", "post", "type-post", "status-publish", f"format-{post_format}"]
        if featured:
            classes.append("has-post-thumbnail")
        if sticky:
            classes.append("sticky")
        classes += ["hentry", f"category-{article.section__slug}"]
        return classes + [f"tag-{slug}" for _tag, slug in tags]

    def links(self, public_id: int, author: int, featured: int) -> dict:
        links = {
            **self.collection_links(public_id),
            "about": href("wp/v2/types/post"),
        }
        if author:
            links["author"] = href(f"wp/v2/users/{author}", embeddable=True)
        links["replies"] = href(f"wp/v2/comments?post={public_id}", embeddable=True)
        if featured:
            links["wp:featuredmedia"] = href(f"wp/v2/media/{featured}", embeddable=True)
        links["wp:attachment"] = href(f"wp/v2/media?parent={public_id}")
        links["wp:term"] = [
            *href(f"wp/v2/categories?post={public_id}", taxonomy="category", embeddable=True),
            *href(f"wp/v2/tags?post={public_id}", taxonomy="post_tag", embeddable=True),
        ]
        links["curies"] = CURIES
        return links

    def embed(self, items: list[dict], articles: list, rels: set[str] | None) -> None:
        from . import embedding

        embedding.embed_posts(items, articles, rels)
