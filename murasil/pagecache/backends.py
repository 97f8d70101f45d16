"""Django's file-based cache, shared by every process on the machine (gunicorn workers, the scheduler,
management commands), with its size check made occasional.

The embedded default has no Redis, and a local-memory cache is one per process: a purge made by the
worker that handled a publish (or by the scheduler publishing) would not reach the others. Django's
FileBasedCache is shared and writes atomically (temporary file + rename), but lists its whole
directory on every write to decide whether to cull; with thousands of entries that is milliseconds a
write. Here it looks at most every CULL_CHECK_SECONDS per process, so the cache may run a little over
MAX_ENTRIES between checks.

Its add() is made atomic across processes (the file is linked into place, which fails if it exists),
because the page cache takes its render locks with add().
"""

import os
import tempfile
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_SECONDS = 10.0


class SharedFileCache(FileBasedCache):
    _next_cull = 0.0

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
