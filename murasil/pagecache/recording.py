"""Which objects a page shows, recorded while it renders.

Every article, reporter, page, tag and image that is loaded from the database while a cacheable page
renders becomes one of the page's tags (`a:<id>`, `r:<id>`, `p:<id>`, `t:<id>`, `img:<id>`): whatever
code shows it — a card, the related list, a byline, a box someone adds later — the page is purged
when that object changes, with no list of templates to keep in step. Loading an object the page does
not show only costs a purge that was not needed.

Objects that reach a page from a cache (unpickled, not loaded) are not seen here: code that caches
model instances across requests must add their tags itself with `depends_on`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db.models.signals import post_init
from django.http import HttpRequest


class Recorder:
    __slots__ = ("expires", "tags")

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.expires: datetime | None = None

    def expire_by(self, moment: datetime) -> None:
        if self.expires is None or moment < self.expires:
            self.expires = moment


_current: ContextVar[Recorder | None] = ContextVar("murasil_pagecache_recorder", default=None)


@contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()
    token = _current.set(recorder)
    try:
        yield recorder
    finally:
        _current.reset(token)


@contextmanager
def unrecorded() -> Iterator[None]:
    """Load objects without making them the page's tags: maps shared by many pages (every section,
    say) would otherwise tie each page to all of them. The caller declares what the page shows."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def collecting() -> Iterator[set[str]]:
    """The tags recorded inside the block (for a cached fragment to replay with `depends_on`)."""
    recorder = _current.get()
    before = set(recorder.tags) if recorder is not None else set()
    found: set[str] = set()
    try:
        yield found
    finally:
        if recorder is not None:
            found.update(recorder.tags - before)


def depends_on(request: HttpRequest | None, *tags: str) -> None:
    """Declare that the page being rendered depends on `tags` (see purge.py for their names)."""
    recorder = _current.get()
    if recorder is not None:
        recorder.tags.update(tags)


def _receiver(prefix: str):
    def receiver(sender, instance, **kwargs) -> None:
        recorder = _current.get()
        if recorder is not None and instance.pk is not None:
            recorder.tags.add(prefix + str(instance.pk))

    return receiver


def _article_loaded(sender, instance, **kwargs) -> None:
    recorder = _current.get()
    if recorder is None or instance.pk is None:
        return
    recorder.tags.add(f"a:{instance.pk}")
    # Only when the field was loaded: reading a deferred one would cost a query per card.
    expire_at = instance.__dict__.get("expire_at")
    if expire_at is not None:
        recorder.expire_by(expire_at)


_RECEIVERS = {
    "r:": _receiver("r:"),
    "p:": _receiver("p:"),
    "t:": _receiver("t:"),
    "img:": _receiver("img:"),
}


def connect_receivers() -> None:
    from taggit.models import Tag
    from wagtail.images import get_image_model
    from wagtail.models import Page, get_page_models

    from murasil.news.models import Article, Reporter

    post_init.connect(_article_loaded, sender=Article, dispatch_uid="pagecache-article")
    post_init.connect(_RECEIVERS["r:"], sender=Reporter, dispatch_uid="pagecache-reporter")
    post_init.connect(_RECEIVERS["t:"], sender=Tag, dispatch_uid="pagecache-tag")
    post_init.connect(_RECEIVERS["img:"], sender=get_image_model(), dispatch_uid="pagecache-image")
    for model in {Page, *get_page_models()}:
        post_init.connect(_RECEIVERS["p:"], sender=model, dispatch_uid=f"pagecache-page-{model._meta.label}")
