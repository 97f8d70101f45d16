"""What every WordPress collection shares: paging, ordering, `_fields`, `_embed`, dates and links.

A resource says which objects a reader may see (`visible`), how the arguments narrow and order them,
and how a batch of them becomes WordPress objects (`serialize`, a fixed number of queries for any
batch size). views.py drives it for the collection route and the single-object route.
"""

import datetime
import math
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.templatetags.static import static
from django.utils import timezone

from .http import WPError, route_url
from .params import Arg
from .public_ids import PublicIds, to_object_ids

CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]


def wp_dates(value: datetime.datetime | None) -> tuple[str | None, str | None]:
    """(date, date_gmt) as WordPress writes them: site time and UTC, no zone suffix."""
    if value is None:
        return None, None
    local = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")
    return local, value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def rendered(html: str, protected: bool | None = None) -> dict:
    return {"rendered": html} if protected is None else {"rendered": html, "protected": protected}


def href(route: str, **extra) -> list[dict]:
    return [{**extra, "href": route_url(route)}]


def default_avatar_urls() -> dict[str, str]:
    """WordPress's avatar_urls shape with a local picture: never Gravatar, whose address is a hash of
    the email (a commenter's email must not be derivable from the API)."""
    url = static("wp_api/avatar.svg")
    url = url if url.startswith("http") else settings.MURASIL_SITE_URL + url
    return dict.fromkeys(("24", "48", "96"), url)


class Resource:
    route = ""  # "wp/v2/posts"
    kind = ""  # WordPressObject.Kind
    args: dict[str, Arg] = {}
    edit_message = "Sorry, you are not allowed to edit posts in this post type."
    invalid_id = ("rest_post_invalid_id", "Invalid post ID.", 404)
    invalid_page: str | None = "rest_post_invalid_page_number"
    embed_fields: tuple[str, ...] = ()
    # orderby value -> model fields; "include" and "relevance" are handled apart.
    orderings: dict[str, tuple[str, ...]] = {}
    default_order = "desc"
    # The model field behind WordPress's `after` / `before` arguments, for resources that take them.
    date_field = ""

    # -- what a reader may see ----------------------------------------------------------------
    def visible(self) -> QuerySet:
        raise NotImplementedError

    def find(self, public_id: int):
        pks = to_object_ids(self.kind, [public_id])
        found = self.fetch(self.visible().filter(pk__in=pks)[:1]) if pks else []
        return found[0] if found else None

    def fetch(self, queryset: QuerySet) -> list:
        """The objects of an ordered, sliced queryset (a resource may load them more cheaply)."""
        return list(queryset)

    def check(self, values: dict) -> None:
        """Refuse arguments an anonymous WordPress client may not use (raise WPError)."""

    # -- narrowing and ordering ---------------------------------------------------------------
    def narrow(self, queryset: QuerySet, values: dict) -> QuerySet:
        if values.get("include"):
            queryset = queryset.filter(pk__in=to_object_ids(self.kind, values["include"]))
        if values.get("exclude"):
            queryset = queryset.exclude(pk__in=to_object_ids(self.kind, values["exclude"]))
        if self.date_field and values.get("after"):
            queryset = queryset.filter(**{f"{self.date_field}__gt": values["after"]})
        if self.date_field and values.get("before"):
            queryset = queryset.filter(**{f"{self.date_field}__lt": values["before"]})
        return queryset

    def order(self, queryset: QuerySet, values: dict) -> QuerySet:
        fields = self.orderings.get(values.get("orderby"), ())
        if not fields:
            fields = next(iter(self.orderings.values()))
        sign = "-" if (values.get("order") or self.default_order) == "desc" else ""
        return queryset.order_by(*(sign + f for f in fields), sign + "pk")

    def page(self, values: dict) -> tuple[int, list]:
        """(total, the objects on the requested page)."""
        queryset = self.narrow(self.visible(), values)
        include_order = values.get("orderby") == "include" and values.get("include")
        queryset = queryset.order_by() if include_order else self.order(queryset, values)
        total = self.count(queryset, values)
        self.check_page(values, total)
        start, stop = self.bounds(values)
        if include_order:
            wanted = to_object_ids(self.kind, values["include"])
            by_pk = {obj.pk: obj for obj in self.fetch(queryset)}
            return total, [by_pk[pk] for pk in wanted if pk in by_pk][start:stop]
        return total, self.fetch(queryset[start:stop])

    def count(self, queryset: QuerySet, values: dict) -> int:
        """X-WP-Total: how many objects the arguments select, on every page of them."""
        return queryset.count()

    def check_page(self, values: dict, total: int) -> None:
        pages = math.ceil(total / values["per_page"])
        if self.invalid_page and total > 0 and values["page"] > pages:
            raise WPError(
                self.invalid_page, "The page number requested is larger than the number of pages available.", 400
            )

    @staticmethod
    def bounds(values: dict) -> tuple[int, int]:
        offset = values.get("offset")
        start = offset if offset is not None and offset >= 0 else (values["page"] - 1) * values["per_page"]
        return start, start + values["per_page"]

    # -- output -------------------------------------------------------------------------------
    def serialize(self, objects: list, ids: PublicIds, fields: set[str] | None) -> list[dict]:
        raise NotImplementedError

    def embed(self, items: list[dict], objects: list, rels: set[str] | None) -> None:
        """Fill item["_embedded"] for the embeddable links asked for (None: all)."""

    def modified(self, obj) -> datetime.datetime | None:
        return None

    def collection_links(self, public_id: int) -> dict:
        return {"self": href(f"{self.route}/{public_id}"), "collection": href(self.route)}


def wanted(fields: set[str] | None, name: str) -> bool:
    return fields is None or name in fields


def first_per_key(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    found: dict[int, int] = {}
    for key, value in pairs:
        found.setdefault(key, value)
    return found
