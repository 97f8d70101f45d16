"""The page cache as Django middleware: first in MIDDLEWARE, so a hit skips everything else.

murasil/wsgi.py answers fresh hits before Django is even entered (wsgi.py in this app); this
middleware does everything else: hits under the test client, misses with one render per key,
stale copies while another request renders or when rendering fails, and storing.
"""

import datetime
import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone

from . import dependencies, keys, store
from .recording import Recorder, recording
from .responses import PRIVATE, build_entries, content_type, django_answer, is_storable, uses_nonce

log = logging.getLogger("murasil.pagecache")

LOOKUP_ENVIRON_KEY = "murasil.pagecache.lookup"
# Taken out of the request the view sees, so every render is a full 200 in no coding: the cache
# compresses and answers conditional requests itself.
HIDDEN_HEADERS = ("HTTP_ACCEPT_ENCODING", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
_gzip = GZipMiddleware(lambda request: None)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        environ = request.META
        if not settings.MURASIL_PAGE_CACHE or not keys.is_candidate(environ):
            return self._uncached(request)
        try:
            key, found = environ.pop(LOOKUP_ENVIRON_KEY, None) or self._lookup(request)
        except Exception:  # the site must work with the cache down
            log.exception("page cache lookup failed; rendering without it")
            return self._uncached(request)
        if found.fresh:
            return django_answer(environ, found.entry, "HIT")
        lock = None
        if not found.uncacheable:
            lock = self._try(store.acquire, key.lock_key)
            if lock is None:
                if found.entry is not None:
                    return django_answer(environ, found.entry, "STALE")
                waited = self._try(store.wait_for, key.entry_key(), key.lock_key)
                if waited is not None:
                    return django_answer(environ, waited, "HIT")
        try:
            return self._render(request, key, found)
        finally:
            if lock:
                self._try(store.release, key.lock_key, lock)

    @staticmethod
    def _lookup(request: HttpRequest):
        key = keys.request_key(request.META, request.path)
        return key, store.lookup(key.entry_key(), key.uncacheable_key)

    @staticmethod
    def _try(function, *args):
        try:
            return function(*args)
        except Exception:  # the site must work with the cache down
            log.exception("page cache: %s failed", function.__name__)
            return None

    def _uncached(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        return mark_private(request, response)

    def _render(self, request: HttpRequest, key: keys.RequestKey, found: store.Lookup) -> HttpResponse:
        environ = request.META
        hidden = {name: environ.pop(name) for name in HIDDEN_HEADERS if name in environ}
        environ["QUERY_STRING"] = key.view_query
        try:
            with recording() as recorder:
                response = self.get_response(request)
        finally:
            environ.update(hidden)
        if response.status_code >= 500 and found.entry is not None:
            log.warning("serving a stale copy of %s: the page answered %s", key.url, response.status_code)
            return django_answer(environ, found.entry, "STALE")
        if is_storable(response) and dependencies.is_reader_view(request):
            stored = self._try(self._store, request, response, key, found, recorder)
            if stored is not None:
                return django_answer(environ, stored, "MISS")
        elif found.uncacheable is False:
            self._try(store.mark_uncacheable, key.uncacheable_key)
        response = mark_private(request, response)
        response["X-Cache"] = "MISS"
        return _gzip.process_response(request, response)

    def _store(self, request, response, key, found, recorder: Recorder) -> store.Entry | None:
        now = time.time()
        html = content_type(response) == "text/html"
        tags = {"all", *recorder.tags, *dependencies.list_tags(request)}
        fresh_until = now + settings.MURASIL_PAGE_CACHE_SECONDS
        if recorder.expires is not None:
            fresh_until = min(fresh_until, recorder.expires.timestamp())
        if html:
            tags.add("chrome")
            tags.add("breaking")
            breaking_ids, breaking_until = _breaking_strip()
            tags.update(f"a:{pk}" for pk in breaking_ids)
            fresh_until = min(fresh_until, breaking_until or fresh_until, _next_midnight())
        ordered = tuple(sorted(tags))
        entries = build_entries(response, url=key.url, tags=ordered, fresh_until=fresh_until, previous=found.entry)
        timeout = max(1, int(fresh_until - now)) + settings.MURASIL_PAGE_CACHE_STALE_SECONDS
        variants = {key.entry_key(encoding): entry for encoding, entry in entries.items()}
        stored = self._try(store.store, variants, ordered, found.clock, timeout)
        if found.uncacheable:
            self._try(store.forget_uncacheable, key.uncacheable_key)
        if not stored:
            log.debug("not stored (a purge ran during the render): %s", key.url)
        return entries[key.encoding]


def _breaking_strip() -> tuple[list[int], float | None]:
    """The articles in the breaking strip (shown on every HTML page) and when the first one leaves it."""
    from murasil.core.chrome import site_chrome_data

    items = site_chrome_data()["breaking"]
    until = min((item["until"] for item in items), default=None)
    return [item["id"] for item in items if "id" in item], until.timestamp() if until else None


def _next_midnight() -> float:
    """Pages show today's date: a copy stored before midnight (site time) is not fresh after it."""
    now = timezone.localtime()
    tomorrow = (now + datetime.timedelta(days=1)).date()
    return datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=now.tzinfo).timestamp()


def mark_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Answers for a logged-in user, answers that set a cookie or carry a CSP nonce, and the admin are
    never cached anywhere (a shared cache would hand one nonce to every reader)."""
    path = request.path_info
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return response
    personal = (
        keys.has_session_cookie(request.META) or response.cookies or path.startswith("/admin/") or uses_nonce(response)
    )
    if personal:
        existing = response.get("Cache-Control", "")
        if "private" not in existing or "public" in existing:
            response["Cache-Control"] = PRIVATE
        if keys.has_session_cookie(request.META) and request.method in ("GET", "HEAD"):
            response.setdefault("X-Cache", "BYPASS")
    return response
