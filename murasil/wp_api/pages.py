"""/wp/v2/pages: live, public static pages (About, Contact, Privacy…) in WordPress's page shape."""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.html import escape, strip_tags

from murasil.core.models import StandardPage
from murasil.news.models import Reporter

from .content import expand_many, paragraph
from .params import Arg, paging
from .posts import POST_ORDERBY, auto_excerpt
from .public_ids import Kind, PublicIds
from .resource import CURIES, Resource, href, rendered, wanted, wp_dates
from .terms import site_root_path


class PageResource(Resource):
    route = "wp/v2/pages"
    kind = Kind.PAGE
    date_field = "first_published_at"
    orderings = {
        "date": ("first_published_at",),
        "id": ("pk",),
        "title": ("title",),
        "modified": ("last_published_at",),
        "slug": ("slug",),
        "menu_order": ("path",),
    }
    embed_fields = (
        "id",
        "date",
        "slug",
        "type",
        "link",
        "title",
        "excerpt",
        "author",
        "featured_media",
        "parent",
        "menu_order",
        "_links",
    )
    args = {
        **paging(),
        "after": Arg("date"),
        "before": Arg("date"),
        "order": Arg("enum", "desc", choices=("asc", "desc")),
        "orderby": Arg("enum", "date", choices=(*POST_ORDERBY, "menu_order")),
        "parent": Arg("int_list", []),
        "slug": Arg("str_list", []),
        "status": Arg("enum_list", ["publish"], choices=("publish", "future", "draft", "pending", "private", "any")),
    }

    def visible(self) -> QuerySet:
        return (
            StandardPage.objects.live()
            .public()
            .only(
                "id",
                "title",
                "slug",
                "url_path",
                "path",
                "depth",
                "intro",
                "body",
                "first_published_at",
                "last_published_at",
                "owner_id",
            )
        )

    def check(self, values: dict) -> None:
        from .posts import PostResource

        PostResource().check({"orderby": "date", "search": "", "include": [], **values})

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        if values["parent"] and 0 not in values["parent"]:
            queryset = queryset.none()  # static pages sit directly under the home page: parent 0
        if values["search"]:
            queryset = queryset.filter(title__icontains=values["search"])
        return queryset

    def modified(self, page):
        return page.last_published_at or page.first_published_at

    def serialize(self, pages: list, ids: PublicIds, fields) -> list[dict]:
        owners = dict(
            Reporter.objects.filter(user_id__in=[p.owner_id for p in pages if p.owner_id]).values_list("user_id", "pk")
        )
        ids.want(Kind.PAGE, [p.pk for p in pages])
        ids.want(Kind.USER, owners.values())
        ids.resolve()
        bodies = expand_many([p.body for p in pages]) if wanted(fields, "content") else [""] * len(pages)
        root = site_root_path()
        items = []
        for page, body in zip(pages, bodies, strict=True):
            public_id = ids.get(Kind.PAGE, page.pk)
            author = ids.get(Kind.USER, owners.get(page.owner_id))
            date, date_gmt = wp_dates(page.first_published_at)
            modified, modified_gmt = wp_dates(self.modified(page))
            link = self.site_url(root, page.url_path)
            links = {**self.collection_links(public_id), "about": href("wp/v2/types/page")}
            if author:
                links["author"] = href(f"wp/v2/users/{author}", embeddable=True)
            links["curies"] = CURIES
            excerpt = page.intro or auto_excerpt(strip_tags(page.body))
            items.append(
                {
                    "id": public_id,
                    "date": date,
                    "date_gmt": date_gmt,
                    "guid": rendered(f"{settings.MURASIL_SITE_URL}/?page_id={public_id}"),
                    "modified": modified,
                    "modified_gmt": modified_gmt,
                    "slug": page.slug,
                    "status": "publish",
                    "type": "page",
                    "link": link,
                    "title": rendered(escape(page.title)),
                    "content": rendered((paragraph(page.intro) if page.intro else "") + body, False),
                    "excerpt": rendered(paragraph(excerpt), False),
                    "author": author,
                    "featured_media": 0,
                    "parent": 0,
                    "menu_order": 0,
                    "comment_status": "closed",
                    "ping_status": "closed",
                    "template": "",
                    "meta": [],
                    "class_list": [f"post-{public_id}", "page", "type-page", "status-publish", "hentry"],
                    "_links": links,
                }
            )
        return items

    @staticmethod
    def site_url(root: str, url_path: str) -> str:
        return settings.MURASIL_SITE_URL + "/" + url_path[len(root) :]
