"""Suite-wide test setup.

With CI=true the PostgreSQL and Redis runs must really use those servers: a missing server fails the
run instead of quietly falling back to SQLite and the local cache.
"""

import os

import pytest


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    # A transactional test with serialized_rollback empties the tables without post_migrate, which
    # would have cleared this per-process cache: the next test would use ids that no longer exist.
    ContentType.objects.clear_cache()
    yield
