"""«الأكثر قراءة»: the most read articles of the last 24 hours and the last 7 days.

Computed from the daily counters when views are flushed (and when the stored lists are older than
LIST_TTL), stored in the cache, so a page render reads one cache entry. The last 24 hours are
approximated from whole days: all of today's views plus yesterday's in proportion to the part of
yesterday still inside the window (at 18:00, a quarter of yesterday's). That assumes yesterday's views
were spread evenly over its hours, which is near enough for ranking.

A withdrawn article must never appear, however stale the list: every publish and unpublish bumps the
chrome version (core/chrome.py), and a list stored under an older version is checked against
`Article.objects.published()` (one query) before it is shown; expiry times are checked on every render.
"""

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, Sum, When
from django.utils import timezone

from murasil.core.chrome import CHROME_VERSION_KEY

from .models import DailyArticleViews

LIST_KEY = "murasil:readership:most-read"
MOST_READ_TAG = "most-read"  # the page cache's tag for pages that show the block
LIST_TTL = 10 * 60  # seconds; flushes recompute sooner, this bounds the drift of the 24-hour share
CANDIDATES = 20  # kept per list, so withdrawn articles can be dropped and enough remain
SHOWN = 5
DAY_SECONDS = 86_400


def _published_views(now: datetime.datetime):
    return DailyArticleViews.objects.filter(article__live=True).filter(
        Q(article__expire_at__isnull=True) | Q(article__expire_at__gt=now)
    )


def top_articles(
    period: str, now: datetime.datetime | None = None, limit: int = CANDIDATES, rows=None
) -> list[tuple[int, int]]:
    """(article id, views) for period "day" (last 24 hours, see above) or "week" (the last 7 days)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = _published_views(now) if rows is None else rows
    if period == "week":
        ranked = (
            rows.filter(day__gt=today - datetime.timedelta(days=7))
            .values("article")
            .annotate(score=Sum("views"))
            .order_by("-score", "-article")
        )
        return [(row["article"], row["score"]) for row in ranked[:limit] if row["score"]]
    local = timezone.localtime(now)
    elapsed = local.hour * 3600 + local.minute * 60 + local.second
    # Whole numbers (views × seconds) keep the ranking exact on both databases.
    weight = Case(
        When(day=today, then=F("views") * DAY_SECONDS),
        When(day=today - datetime.timedelta(days=1), then=F("views") * (DAY_SECONDS - elapsed)),
        default=0,
        output_field=IntegerField(),
    )
    ranked = (
        rows.filter(day__gte=today - datetime.timedelta(days=1))
        .values("article")
        .annotate(score=Sum(weight))
        .order_by("-score", "-article")
    )
    return [(row["article"], round(row["score"] / DAY_SECONDS)) for row in ranked[:limit] if row["score"]]


def _items(pairs: list[tuple[int, int]], articles: dict) -> list[dict]:
    items = []
    for article_id, views in pairs:
        article = articles.get(article_id)
        if article is not None:
            items.append(
                {
                    "id": article_id,
                    "title": article.title,
                    "url": article.get_absolute_url(),
                    "views": views,
                    "expire_at": article.expire_at,
                }
            )
    return items


def _published_articles(ids) -> dict:
    from murasil.news.models import Article

    return (
        Article.objects.published()
        .select_related("section")
        .only("id", "title", "slug", "expire_at", "section__id", "section__slug")
        .in_bulk(ids)
    )


def _chrome_version() -> Any:
    return cache.get_or_set(CHROME_VERSION_KEY, 1, None)


def refresh_most_read(now: datetime.datetime | None = None, purge_pages: bool = True) -> dict:
    """Compute both lists and store them (called after every flush that wrote views). A new order
    purges the stored pages that show the block; a page rendering computes them without purging
    itself (pages stored before that keep their copy at most the page cache's lifetime)."""
    now = now or timezone.now()
    version = _chrome_version()
    day, week = top_articles("day", now), top_articles("week", now)
    articles = _published_articles({article_id for article_id, _ in day + week})
    data = {"version": version, "day": _items(day, articles), "week": _items(week, articles)}
    before = cache.get(LIST_KEY)
    cache.set(LIST_KEY, data, LIST_TTL)
    if purge_pages and (before is None or _ranking(before) != _ranking(data)):
        # Pages showing the block (home, articles) are stored by the page cache: a new order purges them.
        from murasil.pagecache import purge

        purge.changed({MOST_READ_TAG})
    return data


def _ranking(data: dict) -> tuple:
    return tuple(item["id"] for item in data["day"]), tuple(item["id"] for item in data["week"])


def _recheck(data: dict, version: Any) -> dict:
    """Drop what is no longer published from a list stored before the last publish or unpublish."""
    ids = {item["id"] for item in data["day"] + data["week"]}
    live = set(_published_articles(ids)) if ids else set()
    data = {
        "version": version,
        "day": [item for item in data["day"] if item["id"] in live],
        "week": [item for item in data["week"] if item["id"] in live],
    }
    cache.set(LIST_KEY, data, LIST_TTL)
    return data


def most_read(limit: int = SHOWN, now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    """The lists a page shows: one cache round trip when nothing was published since they were stored."""
    now = now or timezone.now()
    found = cache.get_many([LIST_KEY, CHROME_VERSION_KEY])
    data = found.get(LIST_KEY)
    version = found.get(CHROME_VERSION_KEY)
    if data is None:
        data = refresh_most_read(now, purge_pages=False)
    elif version is None or data["version"] != version:
        data = _recheck(data, version if version is not None else _chrome_version())

    def shown(items: list[dict]) -> list[dict]:
        return [item for item in items if item["expire_at"] is None or item["expire_at"] > now][:limit]

    return {"day": shown(data["day"]), "week": shown(data["week"])}


def forget_most_read() -> None:
    cache.delete(LIST_KEY)
