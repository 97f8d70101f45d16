"""Cache backends: Django's, tuned for the page cache's hit path.

SharedFileCache is Django's file-based cache, shared by every process on the machine (gunicorn workers, the scheduler,
management commands), with its size check made occasional.

The embedded default has no Redis, and a local-memory cache is one per process: a purge made by the
worker that handled a publish (or by the scheduler publishing) would not reach the others. Django's
FileBasedCache is shared and writes atomically (temporary file + rename), but lists its whole
directory on every write to decide whether to cull; with thousands of entries that is milliseconds a
write. Here it looks at most every CULL_CHECK_SECONDS per process, so the cache may run a little over
MAX_ENTRIES between checks.

Its add() is made atomic across processes (the file is linked into place, which fails if it exists),
because the page cache takes its render locks with add(). Values are not zlib-compressed: pages are
stored compressed already, and decompressing on every hit was most of a hit's time. Keys need no
memcached-style checks: they become file names through a digest.
"""

import os
import pickle
import tempfile
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

CULL_CHECK_SECONDS = 10.0


class SharedFileCache(FileBasedCache):
    _next_cull = 0.0

    def validate_key(self, key):
        pass

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)  # noqa: S301 - files this app wrote in its own folder
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a truncated or foreign file: drop it, as if it had expired
            self._delete(fname)
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_CHECK_SECONDS
        super()._cull()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):  # also removes an expired file
            return False
        self._createdir()
        fname = self._key_to_file(key, version)
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            os.link(tmp_path, fname)
        except FileExistsError:
            return False
        finally:
            os.remove(tmp_path)
        return True


class _ClientReusingRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis object (over the same pool) for every command; building one
    costs more than the command itself on a cache hit. One per pool is enough: they are thread-safe."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with its clients reused, and no memcached-style key checks."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientReusingRedisCacheClient

    def validate_key(self, key):
        pass
