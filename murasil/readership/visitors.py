"""Telling repeat views apart without knowing who reads.

A reader is never stored. For the dedupe window we keep, in the cache only, a keyed hash of
(IP address, user agent, article) whose key (the salt) is random, made once per day and kept in the
cache until the day ends. Once the salt is gone, yesterday's hashes cannot be linked to anyone, even
by someone holding the database, the cache dump and the secret key.
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

# A reload or a second tab within this window is the same read.
DEDUPE_SECONDS = getattr(settings, "MURASIL_VIEWS_DEDUPE_SECONDS", 30 * 60)
# More beacons than this from one browser within RATE_SECONDS are ignored (no person reads that fast).
RATE_LIMIT = getattr(settings, "MURASIL_VIEWS_RATE_LIMIT", 60)
RATE_SECONDS = 10 * 60

# Crawlers, link previews and scripts that run JavaScript still announce themselves here, cheaply.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse|pagespeed|"
    r"curl|wget|python|httpclient|okhttp|go-http|java/|libwww|scrapy|phantomjs",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent or BOT_PATTERN.search(user_agent) is not None


def _seconds_left_today(now: datetime.datetime) -> int:
    local = timezone.localtime(now)
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    return max(1, int((midnight - local).total_seconds()))


def salt_key(now: datetime.datetime) -> str:
    return f"murasil:readership:salt:{timezone.localdate(now).isoformat()}"


def daily_salt(now: datetime.datetime | None = None, cached: str | None = None) -> bytes:
    """Today's random salt, shared by every app server through the cache and gone when the day ends.

    `cached` is the value already read from the cache under salt_key(now), if the caller has it.
    """
    now = now or timezone.now()
    key = salt_key(now)
    salt = cached if cached is not None else cache.get(key)
    if salt is None:
        # add() makes the first server's salt everyone's; the timeout ends it at midnight (site time).
        cache.add(key, secrets.token_hex(16), _seconds_left_today(now))
        salt = cache.get(key)
        if salt is None:  # evicted at once: a salt of our own only risks one extra count
            salt = secrets.token_hex(16)
            cache.set(key, salt, _seconds_left_today(now))
    return bytes.fromhex(salt)


def _keyed_hash(salt: bytes, *parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), key=salt, digest_size=16).hexdigest()


def client_address(request: HttpRequest) -> str:
    from murasil.comments.moderation import client_ip

    return client_ip(request) or ""


def reader_keys(request: HttpRequest, article_id: int, salt: bytes) -> tuple[str, str]:
    """Cache keys for "this browser saw this article" (dedupe) and "this browser's reports" (rate limit).

    The rate limit is per browser (address and user agent), so readers behind one carrier-grade NAT
    do not share it.
    """
    address, user_agent = client_address(request), request.META.get("HTTP_USER_AGENT", "")
    seen = _keyed_hash(salt, address, user_agent, str(article_id))
    rate = _keyed_hash(salt, address, user_agent)
    return f"murasil:readership:seen:{seen}", f"murasil:readership:rate:{rate}"


def over_rate_limit(rate_key: str) -> bool:
    """Count one report under `rate_key` (local cache); True past the limit."""
    cache.add(rate_key, 0, RATE_SECONDS)
    try:
        count = cache.incr(rate_key)
    except ValueError:  # expired between add and incr
        cache.set(rate_key, 1, RATE_SECONDS)
        count = 1
    return count > RATE_LIMIT
