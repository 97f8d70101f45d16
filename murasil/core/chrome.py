"""The parts of every public page that are the same for all readers: menu, footer, breaking strip.

They are cached under a version number that every publish bumps, so a reader never waits for the
cache to expire to see a new section or a breaking story disappear.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

CHROME_VERSION_KEY = "murasil:chrome-version"
CHROME_TTL = 300  # seconds; the version bump makes changes visible at once, the TTL bounds staleness


def bump_chrome_version() -> None:
    # Now, and again once the change is committed: another process rebuilding the chrome in between
    # would read the old rows and keep them under the new version.
    _bump()
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        cache.incr(CHROME_VERSION_KEY)
    except ValueError:
        cache.set(CHROME_VERSION_KEY, 1, None)


def _version() -> int:
    return cache.get_or_set(CHROME_VERSION_KEY, 1, None)


def cached_with_chrome(name: str, build: Callable[[], Any], ttl: int = CHROME_TTL) -> Any:
    """`build()`'s value, cached like the chrome: fresh after every publish, at most `ttl` seconds old."""
    key = f"murasil:chrome:{_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, ttl)
    return value


def site_chrome_data() -> dict:
    """Menu sections, footer pages and breaking news, from the cache when it is fresh."""
    key = f"murasil:chrome:{_version()}"
    data = cache.get(key)
    if data is None:
        data = _build()
        cache.set(key, data, CHROME_TTL)
    # Breaking items age out by time as well as by publishing, so filter on every request.
    now = timezone.now()
    data = dict(data)
    data["breaking"] = [item for item in data["breaking"] if item["until"] > now]
    return data


def _build() -> dict:
    from murasil.core.models import HomePage, StandardPage
    from murasil.news.front_page import breaking_articles
    from murasil.news.models import SectionPage

    home = HomePage.objects.live().first()
    sections, pages = [], []
    if home:
        for section in SectionPage.objects.child_of(home).live().public().in_menu():
            sections.append({"id": section.pk, "title": section.title, "url": section.get_url()})
        for page in StandardPage.objects.child_of(home).live().public():
            pages.append({"title": page.title, "url": page.get_url()})
    breaking = [
        {"id": a.pk, "title": a.title, "url": a.get_absolute_url(), "until": a.breaking_until}
        for a in breaking_articles(timezone.now())
    ]
    return {"menu": sections, "footer_pages": pages, "breaking": breaking}
