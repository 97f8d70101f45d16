"""Test settings: fast hashing, locmem email, media in a temporary folder.

The database and cache follow DATABASE_URL / REDIS_URL like every other environment, so the same
suite runs on SQLite and on PostgreSQL + Redis.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, TASKS

SECRET_KEY = "test-only-secret-key-not-for-any-real-site"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="murasil-test-media-"))
STORAGES = {
    "default": {"BACKEND": "murasil.core.storage.SafeFileSystemStorage"},  # no half-written files
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# AVIF is the slowest encoding in the suite; tests/images/test_renditions.py turns it back on.
MURASIL_AVIF = False
MURASIL_VIEWS_FLUSH_TIMER = False  # readership: no flushing thread outside the test's transaction
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… when the suite runs in several processes
if REDIS_URL and _worker.startswith("gw"):
    # Every test clears the cache: each process gets a Redis database of its own, counting down from
    # the one named (./run test: 15, 14, …), and tests that read REDIS_URL themselves see the same one.
    _url = urlsplit(REDIS_URL)
    _number = int(_url.path.strip("/") or 0) - int(_worker[2:])
    if _url.scheme not in ("redis", "rediss") or "db=" in _url.query or _number < 0:
        raise ImproperlyConfigured(
            f"REDIS_URL={REDIS_URL} leaves test process {_worker} no database of its own: name the database in "
            "the path of a redis:// URL, high enough for every process (./run test uses /15), "
            "or run a single process (TEST_PROCESSES=0)."
        )
    REDIS_URL = os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_number}"))
    for _cache in CACHES.values():
        _cache["LOCATION"] = REDIS_URL
if not REDIS_URL:
    # One process: the memory cache is enough for everything but the page cache, which runs on the
    # shared file cache the embedded default uses, so the suite exercises it.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "murasil-test"},
        "pages": {**CACHES["pages"], "LOCATION": tempfile.mkdtemp(prefix="murasil-test-pages-")},
    }

# Queued renditions are made as soon as the transaction commits (tests that need the queue itself
# replace this backend).
TASKS = {
    **TASKS,
    "renditions": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["renditions"]},
}
