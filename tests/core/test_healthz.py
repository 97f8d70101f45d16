"""/healthz: what load balancers and monitoring ask each app server (the served variant: test_serve.py)."""

import json
import socket

from django.db import connection
from django.test import override_settings

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthy_answer_is_tiny_uncached_and_cheap(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert len(response.content) < 100
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # No session or CSRF work: nothing to set, nothing to vary on.
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_needs_no_login(client, django_user_model):
    # The same answer for anyone: an admin session changes nothing.
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw-for-tests")
    client.force_login(admin)
    assert json.loads(client.get("/healthz").content)["status"] == "ok"


@pytest.mark.django_db
def test_unreachable_cache_is_reported_without_failing(client):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    caches = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
        for alias in ("default", "pages")
    }
    with override_settings(CACHES=caches):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "unreachable"}


class TestDatabaseDown:
    """Transactional (it closes the connection under the test): a unit of its own."""

    @pytest.mark.django_db(transaction=True)
    def test_unreachable_postgresql_answers_503_and_recovers(self, client):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL run only (the SQLite variant runs against a real server in test_serve.py)")
        saved = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = str(free_port())  # nothing listens there
        try:
            response = client.get("/healthz")
            assert response.status_code == 503
            assert json.loads(response.content) == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
            assert "Traceback" not in response.content.decode()
        finally:
            connection.close()
            connection.settings_dict["PORT"] = saved
        assert client.get("/healthz").status_code == 200
