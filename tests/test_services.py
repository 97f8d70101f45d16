"""The PostgreSQL + Redis run really runs on PostgreSQL and Redis (./run test sets MURASIL_REQUIRE_SERVICES)."""

import os

from django.core.cache import cache, caches
from django.db import connection

import pytest

requires_services = pytest.mark.skipif(
    not os.environ.get("MURASIL_REQUIRE_SERVICES"), reason="SQLite run: the PostgreSQL + Redis run checks this"
)


@requires_services
@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)


@requires_services
def test_cache_is_redis():
    from django.core.cache.backends.redis import RedisCache

    import redis

    assert isinstance(caches["default"], RedisCache)
    cache.set("murasil-test-probe", "قيمة", 10)
    assert cache.get("murasil-test-probe") == "قيمة"
    # The cache falls back to local memory when Redis is away: ask Redis itself that the value is there.
    assert caches["default"].available
    assert redis.Redis.from_url(os.environ["REDIS_URL"]).exists(cache.make_key("murasil-test-probe"))
