"""The view beacon: POST /readership/view/<article id>/ from the article page's script.

It answers at once and writes nothing to the database: the count goes to the cache (counters.py),
and when a flush is due it runs after the response has been sent. No CSRF token (the page may come
from a full-page cache, and the request changes nothing a forged one could abuse beyond one count,
which the dedupe window and the rate limit bound), no cookie, nothing about the reader kept.
"""

import datetime

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import counters, visitors

PUBLISHED_TTL = 5 * 60  # seconds; publish and unpublish signals clear the entry at once


def published_key(article_id: int) -> str:
    return f"murasil:readership:published:{article_id}"


def _is_published(article_id: int, now: datetime.datetime, state) -> bool:
    """Whether the article may be counted. `state` is the cached entry (0 = not published, else its
    expiry timestamp or -1 for none), or None to look it up and cache it."""
    if state is None:
        from murasil.news.models import Article

        row = Article.objects.published().filter(pk=article_id).values_list("expire_at").first()
        state = 0 if row is None else (-1 if row[0] is None else row[0].timestamp())
        cache.set(published_key(article_id), state, PUBLISHED_TTL)
    return state == -1 or (state != 0 and state > now.timestamp())


class BeaconResponse(HttpResponse):
    """204 with nothing to cache; runs the due flush once the response is out (the WSGI server calls close())."""

    status_code = 204

    def __init__(self, flush: bool = False, status: int = 204):
        super().__init__(status=status)
        self.headers["Cache-Control"] = "no-store"
        self._flush = flush

    def close(self) -> None:
        super().close()
        if self._flush:
            self._flush = False
            counters.flush_quietly()


@csrf_exempt
@require_POST
def view_beacon(request: HttpRequest, pk: int) -> HttpResponse:
    if visitors.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return BeaconResponse()
    now = timezone.now()
    # One cache round trip for the article's state and the day's salt, one (on Redis) to record.
    found = cache.get_many([published_key(pk), visitors.salt_key(now)])
    if not _is_published(pk, now, found.get(published_key(pk))):
        return BeaconResponse(status=404)
    salt = visitors.daily_salt(now, found.get(visitors.salt_key(now)))
    seen_key, rate_key = visitors.reader_keys(request, pk, salt)
    outcome, flush_due = counters.store().record(timezone.localdate(now), pk, seen_key, rate_key)
    if outcome == counters.LIMITED:
        return BeaconResponse(flush=flush_due, status=429)
    return BeaconResponse(flush=flush_due)
