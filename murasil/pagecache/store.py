"""The cache itself: entries, tag generations, the purge clock, locks. Works on any Django cache backend.

Design: generational tags. Every entry lists the tags it depends on (`a:12` article 12 is on it,
`section:5` it lists section 5, `chrome` it shows the menu, …) with the generation each tag had when
the entry was stored. A purge gives the tags new generations (random tokens); a lookup compares the
entry's generations with the current ones and treats any difference as a miss. Nothing is deleted, so
the old entry stays available as a stale copy (stampede protection, serve-stale-on-error).

The purge clock makes this exact under concurrency and cheap on the hit path:
- A purge writes a new clock token, then the tags' new generations, then another clock token.
- A render reads the clock before it reads the database and again (after the tags) before storing;
  if it changed, a purge ran meanwhile and the render may predate it, so it is not stored.
- Each process remembers the tag generations it has read, valid while the clock is unchanged (any
  purge changes it), so a hit is usually one round trip: the entry and the clock together.
Generations are random tokens rather than counters, so a lost update, an evicted key or a flushed
cache can only ever cause a miss, never a stale hit.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger("murasil.pagecache")

ALIAS = "pages"
CLOCK_KEY = "clock"
LOCK_SECONDS = 30  # a render that takes longer than this lets another one start
WAIT_SECONDS = 5.0  # how long a request with no copy to serve waits for another's render
WAIT_STEP = 0.02
UNCACHEABLE_SECONDS = 30  # a URL whose answer could not be stored is rendered without the lock for a while


class Entry(NamedTuple):
    """One stored response, in one content coding."""

    status: int
    headers: list[tuple[str, str]]  # everything sent with a 200, Content-Length and ETag included
    body: bytes
    etag: str  # of the uncompressed body, as a strong validator
    variant_etag: str  # what this variant sends (weak for compressed bodies)
    modified_at: int  # for If-Modified-Since: when this content was first rendered (or the view's date)
    fresh_until: float
    tags: tuple[str, ...]
    generations: tuple[str, ...]
    url: str


class Lookup(NamedTuple):
    entry: Entry | None
    fresh: bool
    clock: str | None
    uncacheable: bool


def backend():
    return caches[ALIAS]


def new_token() -> str:
    return secrets.token_hex(8)


def tag_key(tag: str) -> str:
    if len(tag) <= 180:
        return "t:" + tag
    return "t:#" + hashlib.blake2b(tag.encode(), digest_size=16).hexdigest()


def tag_seconds() -> int:
    # Longer than any entry lives, so a generation never expires under a live entry.
    return 2 * (settings.MURASIL_PAGE_CACHE_SECONDS + settings.MURASIL_PAGE_CACHE_STALE_SECONDS) + 86400


# Per process: (clock token, {tag: generation}) read while the clock had that token.
_memo: tuple[str | None, dict[str, str]] = (None, {})


def current_generations(tags: Iterable[str], clock: str | None, cache=None) -> dict[str, str]:
    global _memo
    memo_clock, known = _memo
    if clock is None:
        known = {}
    elif memo_clock != clock:
        known = {}
        _memo = (clock, known)
    missing = [tag for tag in tags if tag not in known]
    if missing:
        found = (cache or backend()).get_many([tag_key(tag) for tag in missing])
        for tag in missing:
            value = found.get(tag_key(tag))
            if value is not None:
                known[tag] = value
    return known


def is_current(entry: Entry, clock: str | None, cache=None) -> bool:
    known = current_generations(entry.tags, clock, cache)
    get = known.get
    return all(get(tag) == generation for tag, generation in zip(entry.tags, entry.generations, strict=True))


def lookup(entry_key: str, uncacheable_key: str, now: float | None = None) -> Lookup:
    cache = backend()
    found = cache.get_many([entry_key, CLOCK_KEY, uncacheable_key])
    clock = found.get(CLOCK_KEY)
    if clock is None:
        token = new_token()
        clock = token if cache.add(CLOCK_KEY, token, None) else cache.get(CLOCK_KEY)
    entry = found.get(entry_key)
    fresh = False
    if entry is not None and entry.fresh_until > (now or time.time()):
        fresh = is_current(entry, clock, cache)
    return Lookup(entry, fresh, clock, uncacheable_key in found)


def store(entries: dict[str, Entry], tags: tuple[str, ...], clock_before: str | None, timeout: int) -> bool:
    """Store the variants of one response with the tags' current generations, unless a purge ran since
    `clock_before` was read (then the render may show what the purge removed). True when stored."""
    if clock_before is None:
        return False
    cache = backend()
    keys = [tag_key(tag) for tag in tags]
    found = cache.get_many([*keys, CLOCK_KEY])  # the clock last: read after the tags
    if found.get(CLOCK_KEY) != clock_before:
        return False
    generations = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = new_token()
            if not cache.add(key, value, tag_seconds()):
                return False  # a purge created it just now
        generations.append(value)
    cache.set_many({key: entry._replace(generations=tuple(generations)) for key, entry in entries.items()}, timeout)
    memo_clock, known = _memo
    if memo_clock == clock_before:
        known.update(zip(tags, generations, strict=True))
    return True


def purge(tags: Iterable[str]) -> None:
    tags = set(tags)
    if not tags:
        return
    cache = backend()
    cache.set(CLOCK_KEY, new_token(), None)
    generation = new_token()
    cache.set_many({tag_key(tag): generation for tag in tags}, tag_seconds())
    cache.set(CLOCK_KEY, new_token(), None)
    log.debug("purged %s", ", ".join(sorted(tags)))


def acquire(lock_key: str) -> str | None:
    token = new_token()
    return token if backend().add(lock_key, token, LOCK_SECONDS) else None


def release(lock_key: str, token: str) -> None:
    cache = backend()
    if cache.get(lock_key) == token:
        cache.delete(lock_key)


def wait_for(entry_key: str, lock_key: str) -> Entry | None:
    """Wait while another request renders this page: its entry once stored, or None when the lock is
    gone without one (or after WAIT_SECONDS)."""
    cache = backend()
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        found = cache.get_many([entry_key, lock_key, CLOCK_KEY])
        entry = found.get(entry_key)
        if entry is not None and entry.fresh_until > time.time() and is_current(entry, found.get(CLOCK_KEY)):
            return entry
        if lock_key not in found:
            return None
    return None


def mark_uncacheable(key: str) -> None:
    backend().set(key, 1, UNCACHEABLE_SECONDS)


def forget_uncacheable(key: str) -> None:
    backend().delete(key)
