"""Test settings: fast hashing, locmem email, media in a temporary folder.

The database and cache follow DATABASE_URL / REDIS_URL like every other environment, so the same
suite runs on SQLite and on PostgreSQL + Redis.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, TASKS

SECRET_KEY = "test-only-secret-key-not-for-any-real-site"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="murasil-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# Queued renditions are made as soon as the transaction commits (tests that need the queue itself
# replace this backend).
TASKS = {
    **TASKS,
    "renditions": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["renditions"]},
}
