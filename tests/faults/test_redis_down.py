"""Redis down or unreachable: the site keeps working on ResilientRedisCache, and recovers by itself.

Two real failures: a port where nothing listens (connection refused), and a TCP proxy in front of the
real Redis that the test cuts ("drop": the server went away; "hang": a black-holed host) and restores.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

import pytest
import redis

from murasil.comments.models import Comment
from murasil.core.cache import ResilientRedisCache
from tests.comments.helpers import comment_data, relax_limits
from tests.factories import make_article, make_section
from tests.services import free_port, redis_url

from .tcp_proxy import TcpProxy


def resilient(location: str, **options):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "murasil.core.cache.ResilientRedisCache",
                "LOCATION": location,
                "KEY_PREFIX": "murasil-faults",
                "OPTIONS": options,
            }
        }
    )


def dead_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def via(proxy: TcpProxy, url: str) -> str:
    db = url.rsplit("/", 1)[-1] if url.count("/") > 2 else "0"
    return f"redis://{proxy.address}/{db}"


@pytest.fixture
def newsroom(db):
    section = make_section("اقتصاد", "economy")
    article = make_article(section, "ارتفاع أسعار الخبز في الأسواق المحلية", tags=("الأسعار",))
    return article


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "كلمة-سر-طويلة-1")


def post_comment(client, article, **overrides):
    return client.post(
        reverse("comments:post", args=[article.pk]), comment_data(**overrides), HTTP_ACCEPT="application/json"
    )


def test_sessions_never_depend_on_the_cache():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_site_works_with_redis_refusing_connections(client, newsroom, admin_user, caplog):
    with resilient(dead_redis()), caplog.at_level(logging.WARNING, logger="murasil.cache"):
        assert isinstance(caches["default"], ResilientRedisCache)
        assert client.get("/").status_code == 200
        page = client.get(newsroom.get_absolute_url())
        assert page.status_code == 200
        assert "ارتفاع أسعار الخبز" in page.content.decode()

        response = post_comment(client, newsroom)
        assert response.status_code == 201, response.content
        assert Comment.objects.filter(article=newsroom, text=comment_data()["text"]).count() == 1

        login = client.post("/admin/login/", {"username": "chief", "password": "كلمة-سر-طويلة-1"})
        assert login.status_code == 302
        assert client.get("/admin/").status_code == 200

        assert not caches["default"].available
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    # Dozens of cache calls above, one log line: the breaker keeps the log readable.
    assert len(unreachable) == 1
    assert "127.0.0.1" in unreachable[0].getMessage()


@pytest.mark.django_db
def test_comment_rate_limits_still_apply_per_process_without_redis(client, newsroom):
    relax_limits(per_email_per_hour=2, per_ip_per_hour=100)
    with resilient(dead_redis()):
        assert post_comment(client, newsroom).status_code == 201
        assert post_comment(client, newsroom).status_code == 201
        limited = post_comment(client, newsroom)
        assert limited.status_code == 429
        assert "تعليقات كثيرة" in limited.json()["message"]
        assert post_comment(client, newsroom, email="other@example.org").status_code == 201
    assert Comment.objects.count() == 3


def test_breaker_does_not_wait_for_a_black_holed_redis_on_every_call():
    # The proxy accepts connections and never answers: every attempt costs a full socket timeout.
    with TcpProxy("127.0.0.1", 9) as proxy:
        proxy.cut("hang")
        with resilient(f"redis://{proxy.address}/0", socket_connect_timeout=0.3, socket_timeout=0.3, retry_after=60):
            for i in range(100):
                cache.set(f"key-{i}", i)
                assert cache.get(f"key-{i}") == i  # served from this process's memory
            assert proxy.accepted == 1  # one attempt, then the breaker stays open for retry_after


def test_a_wrong_command_is_still_an_error():
    url = dead_redis()
    with resilient(url):
        cache.set("text", "نص")
        with pytest.raises(ValueError):
            cache.incr("missing")


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_cut_and_restored_redis_recovers_by_itself(caplog):
    url = redis_url()
    direct = redis.Redis.from_url(url)
    port = direct.connection_pool.connection_kwargs["port"]
    with (
        TcpProxy("127.0.0.1", port) as proxy,
        resilient(via(proxy, url), retry_after=0.2),
        caplog.at_level(logging.WARNING, logger="murasil.cache"),
    ):
        redis_key = cache.make_key("headline")
        cache.set("headline", "قديم", 600)
        assert direct.exists(redis_key)  # really in Redis

        for mode in ("drop", "hang"):
            proxy.cut(mode)
            cache.set("headline", f"جديد أثناء الانقطاع {mode}", 600)  # goes to local memory
            assert cache.get("headline") == f"جديد أثناء الانقطاع {mode}"
            assert not caches["default"].available
            assert direct.get(redis_key) is not None  # Redis still holds the old value

            proxy.restore()
            assert wait_until(lambda: cache.get("probe") is None and caches["default"].available)
            # The key written during the outage was dropped from Redis rather than served stale.
            assert not direct.exists(redis_key)
            assert cache.get("headline") is None
            cache.set("headline", "قديم", 600)
            assert direct.exists(redis_key)
        cache.delete("headline")
    messages = [r.getMessage() for r in caplog.records]
    assert sum("is unreachable" in m for m in messages) == 2
    assert sum("reachable again" in m for m in messages) == 2


@pytest.mark.django_db
def test_site_through_a_cut_redis_and_back(client, newsroom, admin_user):
    url = redis_url()
    direct = redis.Redis.from_url(url)
    port = direct.connection_pool.connection_kwargs["port"]
    with TcpProxy("127.0.0.1", port) as proxy, resilient(via(proxy, url), retry_after=0.2):
        assert client.get(newsroom.get_absolute_url()).status_code == 200
        assert caches["default"].available

        proxy.cut("drop")
        assert client.get("/").status_code == 200
        assert client.get(newsroom.get_absolute_url()).status_code == 200
        assert post_comment(client, newsroom).status_code == 201
        assert client.post("/admin/login/", {"username": "chief", "password": "كلمة-سر-طويلة-1"}).status_code == 302
        assert client.get("/admin/").status_code == 200
        assert not caches["default"].available

        proxy.restore()
        assert wait_until(lambda: client.get("/").status_code == 200 and caches["default"].available)
        assert client.get(newsroom.get_absolute_url()).status_code == 200
        # Back on Redis: the chrome the page just cached is in Redis, not only in this process.
        assert direct.keys(cache.make_key("murasil:chrome:*"))
    assert Comment.objects.filter(article=newsroom).count() == 1
