"""Keyset ("older / newer") pagination over articles ordered newest first.

An OFFSET scan grows with the page number; a keyset cursor (publish time, id) makes page 500 of a
section an index range scan just like page 1.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import BadRequest
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _


@dataclass
class KeysetPage:
    items: list = field(default_factory=list)
    newer_cursor: str | None = None
    older_cursor: str | None = None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer_cursor or self.older_cursor)


def make_cursor(article) -> str:
    stamp = int(article.first_published_at.timestamp() * 1_000_000)
    return f"{stamp}.{article.pk}"


def parse_cursor(raw: str) -> tuple[datetime.datetime, int]:
    try:
        stamp, pk = raw.split(".")
        when = datetime.datetime.fromtimestamp(int(stamp) / 1_000_000, tz=datetime.UTC)
        return when, int(pk)
    except (ValueError, OverflowError, OSError):
        raise BadRequest(_("This page link is not valid.")) from None


def keyset_page(queryset: QuerySet, params, size: int) -> KeysetPage:
    """One page of `queryset` (already filtered) from the `before` / `after` cursor in `params`."""
    before, after = params.get("before"), params.get("after")
    if before:
        when, pk = parse_cursor(before)
        rows = list(
            # "<=" on the leading column keeps this an index range; the tie on equal times is a residual filter.
            queryset.filter(first_published_at__lte=when)
            .exclude(Q(first_published_at=when, id__gte=pk))
            .order_by("-first_published_at", "-id")[: size + 1]
        )
        more_older, more_newer = len(rows) > size, True
        rows = rows[:size]
    elif after:
        when, pk = parse_cursor(after)
        rows = list(
            queryset.filter(first_published_at__gte=when)
            .exclude(Q(first_published_at=when, id__lte=pk))
            .order_by("first_published_at", "id")[: size + 1]
        )
        more_older, more_newer = True, len(rows) > size
        rows = rows[:size][::-1]
    else:
        rows = list(queryset.order_by("-first_published_at", "-id")[: size + 1])
        more_older, more_newer = len(rows) > size, False
        rows = rows[:size]
    if not rows:
        return KeysetPage()
    return KeysetPage(
        items=rows,
        newer_cursor=make_cursor(rows[0]) if more_newer else None,
        older_cursor=make_cursor(rows[-1]) if more_older else None,
    )
