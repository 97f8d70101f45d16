"""A Redis cache that keeps the site up when Redis is down.

Django's RedisCache raises on every call when Redis cannot be reached, and every page uses the cache
(site chrome, search synonyms, comment rate limits). `ResilientRedisCache` catches connection errors
and serves those calls from a local-memory cache of this process instead, so pages render, comments
are stored, logins work and rate limits still count — per process — while Redis is away.

A small circuit breaker keeps that cheap: after a failure Redis is left alone for `retry_after`
seconds (one call then probes it), so readers never wait for a connect timeout on every cache call,
and short socket timeouts bound the wait of that one probe. When Redis answers again the breaker
closes by itself: keys written locally during the outage are deleted from Redis (their Redis copies
may be stale: a publish bumped the chrome version here only), and the local copy is emptied.
Errors are logged once when Redis goes away, at most once a minute while it stays away, and once
when it is back.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

import redis

# Django's RedisCache with its clients reused (the page cache's hit path needs that).
from murasil.pagecache.backends import RedisCache

log = logging.getLogger("murasil.cache")

# Network trouble only: a wrong command (ResponseError) is a bug and still raises.
CONNECTION_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
# Keys written during an outage that are deleted from Redis when it returns; beyond this many, the
# rest simply expire (logged).
MAX_TRACKED_KEYS = 10_000


class ResilientRedisCache(RedisCache):
    """RedisCache that falls back to a per-process LocMemCache while Redis is unreachable.

    OPTIONS beyond redis-py's: `retry_after` (seconds before Redis is tried again, default 5) and
    `log_every` (seconds between "still unreachable" log lines, default 60). Socket timeouts default
    to 0.5 s to connect and 1 s per command.
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", 5.0))
        self.log_every = float(options.pop("log_every", 60.0))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"murasil-redis-fallback-{id(self)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._logged_at = 0.0
        self._fallback_calls = 0
        self._touched: set[str] = set()
        self._touched_overflow = False
        self._clear_pending = False

    @property
    def available(self) -> bool:
        """False while the breaker is open (Redis failed and calls go to local memory)."""
        return self._down_since is None

    def _where(self) -> str:
        # Host, port and database only: a URL may carry a password.
        parts = urlsplit(self._servers[0])
        return f"{parts.hostname}:{parts.port or 6379}{parts.path or ''}"

    # The breaker ------------------------------------------------------------------------------------------
    def _use_redis(self) -> bool:
        if self._down_since is None:
            return True
        with self._lock:
            now = time.monotonic()
            if self._down_since is not None and now < self._retry_at:
                self._fallback_calls += 1
                return False
            # Half-open: this call probes Redis; calls in other threads keep the fallback meanwhile.
            self._retry_at = now + self.retry_after
            return True

    def _failed(self, error: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self._retry_at = now + self.retry_after
            self._fallback_calls += 1
            if self._down_since is None:
                self._down_since = now
                self._logged_at = now
                log.error(
                    "Redis at %s is unreachable (%s); this process serves the cache from local memory "
                    "and tries Redis again every %g s.",
                    self._where(),
                    error,
                    self.retry_after,
                )
            elif now - self._logged_at >= self.log_every:
                self._logged_at = now
                log.error(
                    "Redis at %s is still unreachable after %.0f s (%s); %d cache calls served from local memory.",
                    self._where(),
                    now - self._down_since,
                    error,
                    self._fallback_calls,
                )

    def _recovered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            outage = time.monotonic() - self._down_since
            touched, overflow, clear = self._touched, self._touched_overflow, self._clear_pending
            calls = self._fallback_calls
            self._down_since = None
            self._touched, self._touched_overflow, self._clear_pending = set(), False, False
            self._fallback_calls = 0
        try:
            if clear:
                self._cache.clear()
            elif touched:
                self._cache.delete_many(list(touched))
        except CONNECTION_ERRORS as error:
            self._failed(error)
            return
        self._fallback.clear()
        log.warning(
            "Redis at %s is reachable again after %.0f s; %d cache calls were served from local memory%s.",
            self._where(),
            outage,
            calls,
            "; some keys written meanwhile may stay stale in Redis until they expire" if overflow else "",
        )

    def _remember(self, *keys, version=None) -> None:
        """Note keys written locally, so their Redis copies are dropped when Redis returns."""
        with self._lock:
            for key in keys:
                if len(self._touched) >= MAX_TRACKED_KEYS:
                    self._touched_overflow = True
                    return
                self._touched.add(self.make_key(key, version=version))

    def _call(self, name: str, args: tuple, kwargs: dict, written=()):
        if self._use_redis():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except CONNECTION_ERRORS as error:
                self._failed(error)
            else:
                if self._down_since is not None:
                    self._recovered()
                return result
        if written:
            self._remember(*written, version=kwargs.get("version"))
        return getattr(self._fallback, name)(*args, **kwargs)

    # The cache API (BaseCache builds get_or_set, decr, incr_version… on these) ---------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", (key, value, timeout), {"version": version}, written=(key,))

    def get(self, key, default=None, version=None):
        return self._call("get", (key, default), {"version": version})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", (key, value, timeout), {"version": version}, written=(key,))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", (key, timeout), {"version": version}, written=(key,))

    def delete(self, key, version=None):
        return self._call("delete", (key,), {"version": version}, written=(key,))

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys,), {"version": version})

    def has_key(self, key, version=None):
        return self._call("has_key", (key,), {"version": version})

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta), {"version": version}, written=(key,))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", (data, timeout), {"version": version}, written=tuple(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", (keys,), {"version": version}, written=tuple(keys))

    def clear(self):
        if not self._use_redis():
            self._clear_pending = True
            return self._fallback.clear()
        try:
            result = RedisCache.clear(self)
        except CONNECTION_ERRORS as error:
            self._failed(error)
            self._clear_pending = True
            return self._fallback.clear()
        if self._down_since is not None:
            self._recovered()
        return result
