"""Cached parts of the article page, each stamped with exactly what it was rendered from.

The article page is rendered for every request (no full-page cache here), but its parts are kept:
the article itself (header, photo, body, tags), its head tags (OpenGraph, JSON-LD), the related
cards and the comments. All parts of one article live in one cache entry, `{part: (stamp, html,
expires)}`, read with the fragments version in a single round trip. A part is used only while its
stamp matches:

- the article and head parts: the published version (`last_published_at`; drafts never change it),
- related cards: the (id, published version, comment count) of each related article that is still
  published, read by one primary-key query per request, so a withdrawn article drops out at once,
- comments: the approved count and whether comments are closed; any change to a comment also
  deletes the entry (signal_handlers),

and for every part: the fragments version (bumped when anything many articles show changes: a
section, reporter, tag, photo, the site settings), the language, today's date (lists show "10:30"
today and a date afterwards) and a digest of the templates, so a deploy never serves old markup.
An unpublished article is never looked up at all: the view finds articles through `published()`.
A part rendered while a photo rendition was still missing is kept one minute only.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from murasil.images.renditions import incomplete_renders
from murasil.pagecache.recording import collecting, depends_on, unrecorded

VERSION_KEY = "murasil:fragments-version"
PART_TTL = 24 * 3600  # seconds; stamps decide freshness, the TTL only bounds memory
INCOMPLETE_TTL = 60


def bump_fragments_version() -> None:
    try:
        django_cache.incr(VERSION_KEY)
    except ValueError:
        django_cache.set(VERSION_KEY, 1, None)


def parts_key(article_id: int) -> str:
    return f"murasil:article-parts:{article_id}"


def forget_article(article_id: int) -> None:
    django_cache.delete(parts_key(article_id))


@cache
def code_stamp() -> str:
    """A digest of the reader templates and the photo placements: new markup means new parts."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted([*package.glob("*/templates/**/*.html"), *package.glob("templates/**/*.html")]):
        digest.update(path.read_bytes())
    digest.update((package / "images" / "specs.py").read_bytes())
    return digest.hexdigest()[:12]


SECTIONS_KEY = "murasil:sections"


def settings_key(model) -> str:
    return f"murasil:settings:{model._meta.label_lower}"


class ArticleParts:
    """The cached parts of one article's page for one request: `part()` returns or renders each.

    One cache round trip brings the fragments version, the article's parts, the sections (few,
    and every article page names its own) and the site settings the page reads; each of the last
    two is stamped with the version it was built under.
    """

    def __init__(self, article_id: int, setting_models=()):
        self.key = parts_key(article_id)
        self.setting_models = setting_models
        keys = [VERSION_KEY, self.key, SECTIONS_KEY, *(settings_key(m) for m in setting_models)]
        self.found = django_cache.get_many(keys)
        self.version = self.found.get(VERSION_KEY)
        if self.version is None:
            self.version = 1
            django_cache.add(VERSION_KEY, 1, None)
        self.stored: dict = self.found.get(self.key) or {}
        self.changed = False
        self.rendered: list[str] = []

    def _versioned(self, key: str, build: Callable[[], object]):
        entry = self.found.get(key)
        if entry and entry[0] == self.version:
            return entry[1]
        value = build()
        django_cache.set(key, (self.version, value), PART_TTL)
        self.found[key] = (self.version, value)
        return value

    def sections(self) -> dict:
        """{id: SectionPage} of every live section, with what links and labels need."""
        from .models import SectionPage

        def build() -> dict:
            with unrecorded():  # a page depends on the sections it names, not on all of them
                sections = list(
                    SectionPage.objects.live().only("id", "title", "slug", "url_path", "path", "depth", "live")
                )
            for section in sections:
                section.cached_url = section.get_url()
            return {section.pk: section for section in sections}

        return self._versioned(SECTIONS_KEY, build)

    def share_section_urls(self, request) -> None:
        """Hand the sections' URLs to {% section_url %} for this request (no second look-up)."""
        request._murasil_section_urls = {pk: section.cached_url for pk, section in self.sections().items()}

    def preload_settings(self, request) -> None:
        """Put Wagtail's generic settings on the request from the cache instead of one query each.

        `BaseGenericSetting.load(request_or_site=request)` (the `settings` context processor, the date
        tags, the comment form) looks on the request first; saving a setting bumps the version.
        """
        for model in self.setting_models:
            setattr(request, model.get_cache_attr_name(), self._versioned(settings_key(model), model.load))

    def part(self, name: str, stamp: tuple, render: Callable[[], str]) -> SafeString:
        stamp = (code_stamp(), self.version, get_language(), *stamp)
        entry = self.stored.get(name)
        if entry and entry[0] == stamp and entry[2] > time.time():
            # What the part showed when it was rendered is what the page cache must purge it by.
            depends_on(None, *(entry[3] if len(entry) > 3 else ()))
            return mark_safe(entry[1])  # noqa: S308 - our own rendered template output
        missing_before = incomplete_renders()
        with collecting() as tags:
            html = str(render())
        ttl = INCOMPLETE_TTL if incomplete_renders() > missing_before else PART_TTL
        self.stored[name] = (stamp, html, time.time() + ttl, tuple(sorted(tags)))
        self.changed = True
        self.rendered.append(name)
        return mark_safe(html)  # noqa: S308 - as above

    def remember(self, name: str, value) -> None:
        """Keep a plain value with the parts (say, which ids to read along next time)."""
        if self.stored.get(name) != value:
            self.stored[name] = value
            self.changed = True

    def save(self) -> None:
        if self.changed:
            django_cache.set(self.key, self.stored, PART_TTL)


SECTION_URLS_KEY = "murasil:section-urls"


def section_urls(request=None) -> dict[int, str]:
    """{section id: its URL} for every live section, from the cache while the version holds.

    Sections are few and every article page and archive links to some: one cache read instead
    of Wagtail's site-root look-ups per link. Kept on the request for its other links.
    """
    if request is not None and hasattr(request, "_murasil_section_urls"):
        return request._murasil_section_urls
    found = django_cache.get_many([VERSION_KEY, SECTION_URLS_KEY])
    version = found.get(VERSION_KEY) or 1
    entry = found.get(SECTION_URLS_KEY)
    if entry and entry[0] == version:
        urls = entry[1]
    else:
        from .models import SectionPage

        with unrecorded():  # every section's URL, but a page depends only on those it links to
            live = list(SectionPage.objects.live().only("id", "url_path", "path", "depth"))
        urls = {s.pk: s.get_url(request) for s in live}
        django_cache.set(SECTION_URLS_KEY, (version, urls), PART_TTL)
    if request is not None:
        request._murasil_section_urls = urls
    return urls
