"""/wp/v2/users (reporters with published articles) and /wp/v2/comments (approved, on published articles).

Only what a reader already sees on the site: a reporter's name, biography, page and photo; a
commenter's name, website and text. Never an email, username, IP address or browser string.
"""

from django.conf import settings
from django.db.models import Q, QuerySet

from murasil.comments.models import Comment
from murasil.comments.text import render_text
from murasil.news.models import Article, ArticleReporter, Reporter

from .content import absolute_media_url
from .http import WPError
from .params import Arg, paging
from .public_ids import Kind, PublicIds, to_object_ids
from .resource import Resource, default_avatar_urls, href, rendered, wp_dates

USER_ORDERBY = ("id", "include", "name", "registered_date", "slug", "include_slugs", "email", "url")
COMMENT_ORDERBY = ("date", "date_gmt", "id", "include", "post", "parent", "type")


def forbidden_param(name: str) -> WPError:
    return WPError("rest_forbidden_param", f"Query parameter not permitted: {name}", 401)


class UserResource(Resource):
    route = "wp/v2/users"
    kind = Kind.USER
    edit_message = "Sorry, you are not allowed to list users."
    invalid_id = ("rest_user_invalid_id", "Invalid user ID.", 404)
    invalid_page = None
    default_order = "asc"
    orderings = {"name": ("name",), "id": ("pk",), "slug": ("slug",), "url": ("pk",)}
    embed_fields = ("id", "name", "url", "description", "link", "slug", "avatar_urls", "_links")
    args = {
        **paging(),
        "order": Arg("enum", "asc", choices=("asc", "desc")),
        "orderby": Arg("enum", "name", choices=USER_ORDERBY),
        "slug": Arg("str_list", []),
        "roles": Arg("str_list", []),
        "capabilities": Arg("str_list", []),
        "who": Arg("enum", None, choices=("authors",)),
        "has_published_posts": Arg("bool"),
    }

    def visible(self) -> QuerySet:
        bylined = ArticleReporter.objects.filter(article__in=Article.objects.published()).values("reporter_id")
        return (
            Reporter.objects.filter(pk__in=bylined)
            .select_related("photo")
            .only("id", "name", "slug", "bio", "photo__id", "photo__file", "photo__width", "photo__height")
        )

    def find(self, public_id: int):
        pks = to_object_ids(self.kind, [public_id])
        reporter = Reporter.objects.filter(pk__in=pks).only("id").first() if pks else None
        if reporter is None:
            return None
        found = self.visible().filter(pk=reporter.pk).first()
        if found is None:  # WordPress: a user without published posts is private to anonymous clients
            raise WPError("rest_user_cannot_view", "Sorry, you are not allowed to list users.", 401)
        return found

    def check(self, values: dict) -> None:
        if values["orderby"] in ("email", "registered_date"):
            raise WPError("rest_forbidden_orderby", "Sorry, you are not allowed to order users by this parameter.", 401)
        if values["roles"] or values["capabilities"]:
            name = "roles" if values["roles"] else "capabilities"
            raise WPError("rest_user_cannot_view", f"Sorry, you are not allowed to filter users by {name}.", 401)
        if values["who"]:
            raise WPError("rest_forbidden_who", "Sorry, you are not allowed to query users by this parameter.", 401)

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["search"]:
            queryset = queryset.filter(Q(name__icontains=values["search"]) | Q(slug__icontains=values["search"]))
        if values["slug"]:
            queryset = queryset.filter(slug__in=values["slug"])
        if values["has_published_posts"] is False:
            queryset = queryset.none()
        return queryset

    def serialize(self, reporters: list, ids: PublicIds, fields) -> list[dict]:
        ids.want(Kind.USER, [r.pk for r in reporters])
        ids.resolve()
        items = []
        for reporter in reporters:
            public_id = ids.get(Kind.USER, reporter.pk)
            if reporter.photo_id and reporter.photo:
                photo = absolute_media_url(reporter.photo.file.url)
                avatars = dict.fromkeys(("24", "48", "96"), photo)
            else:
                avatars = default_avatar_urls()
            items.append(
                {
                    "id": public_id,
                    "name": reporter.name,
                    "url": "",
                    "description": reporter.bio,
                    "link": settings.MURASIL_SITE_URL + reporter.get_absolute_url(),
                    "slug": reporter.slug,
                    "avatar_urls": avatars,
                    "meta": [],
                    "_links": self.collection_links(public_id),
                }
            )
        return items


class CommentResource(Resource):
    route = "wp/v2/comments"
    kind = Kind.COMMENT
    date_field = "created_at"
    edit_message = "Sorry, you are not allowed to edit comments."
    invalid_id = ("rest_comment_invalid_id", "Invalid comment ID.", 404)
    invalid_page = "rest_comment_invalid_page_number"
    orderings = {
        "date_gmt": ("created_at",),
        "date": ("created_at",),
        "id": ("pk",),
        "post": ("article_id",),
        "parent": ("parent_id",),
        "type": ("created_at",),
    }
    embed_fields = (
        "id",
        "parent",
        "author",
        "author_name",
        "author_url",
        "date",
        "content",
        "link",
        "type",
        "author_avatar_urls",
        "_links",
    )
    args = {
        **paging(),
        "after": Arg("date"),
        "before": Arg("date"),
        "order": Arg("enum", "desc", choices=("asc", "desc")),
        "orderby": Arg("enum", "date_gmt", choices=COMMENT_ORDERBY),
        "parent": Arg("int_list", []),
        "parent_exclude": Arg("int_list", []),
        "post": Arg("int_list", []),
        "status": Arg("str", "approve"),
        "type": Arg("str", "comment"),
        "author": Arg("int_list", []),
        "author_exclude": Arg("int_list", []),
        "author_email": Arg("str", ""),
        "password": Arg("str", ""),
    }

    def visible(self) -> QuerySet:
        # Never the email, IP address or browser: they are not even read from the database.
        return (
            Comment.objects.public()
            .select_related("article__section")
            .only(
                "id",
                "article_id",
                "parent_id",
                "name",
                "url",
                "text",
                "created_at",
                "status",
                "article__id",
                "article__slug",
                "article__section__id",
                "article__section__slug",
            )
        )

    def check(self, values: dict) -> None:
        for name in ("author", "author_exclude", "author_email"):
            if values[name]:
                raise forbidden_param(name)
        if values["status"] not in ("approve", "approved"):
            raise forbidden_param("status")

    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        queryset = super().narrow(queryset, values)
        if values["type"] != "comment":
            return queryset.none()
        if values["post"]:
            queryset = queryset.filter(article_id__in=to_object_ids(Kind.POST, values["post"]))
        if values["parent"]:
            parents = to_object_ids(Kind.COMMENT, [p for p in values["parent"] if p])
            top = Q(parent__isnull=True) if 0 in values["parent"] else Q(pk__in=[])
            queryset = queryset.filter(Q(parent_id__in=parents) | top)
        if values["parent_exclude"]:
            parents = to_object_ids(Kind.COMMENT, [p for p in values["parent_exclude"] if p])
            queryset = queryset.exclude(parent_id__in=parents)
            if 0 in values["parent_exclude"]:
                queryset = queryset.exclude(parent__isnull=True)
        if values["search"]:
            queryset = queryset.filter(Q(text__icontains=values["search"]) | Q(name__icontains=values["search"]))
        return queryset

    def modified(self, comment):
        return comment.created_at

    def serialize(self, comments: list, ids: PublicIds, fields) -> list[dict]:
        ids.want(Kind.COMMENT, [c.pk for c in comments] + [c.parent_id for c in comments])
        ids.want(Kind.POST, [c.article_id for c in comments])
        ids.resolve()
        items = []
        for comment in comments:
            public_id = ids.get(Kind.COMMENT, comment.pk)
            post = ids.get(Kind.POST, comment.article_id)
            parent = ids.get(Kind.COMMENT, comment.parent_id)
            date, date_gmt = wp_dates(comment.created_at)
            links = {
                **self.collection_links(public_id),
                "up": href(f"wp/v2/posts/{post}", embeddable=True, post_type="post"),
            }
            if parent:
                links["in-reply-to"] = href(f"wp/v2/comments/{parent}", embeddable=True)
            items.append(
                {
                    "id": public_id,
                    "post": post,
                    "parent": parent,
                    "author": 0,
                    "author_name": comment.name,
                    "author_url": comment.url,
                    "date": date,
                    "date_gmt": date_gmt,
                    "content": rendered(str(render_text(comment.text)) + "\n"),
                    "link": f"{comment.article.full_url}#comment-{comment.pk}",
                    "status": "approved",
                    "type": "comment",
                    "author_avatar_urls": default_avatar_urls(),
                    "meta": [],
                    "_links": links,
                }
            )
        return items
