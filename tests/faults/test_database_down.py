"""The database unavailable: readers get a friendly Arabic 503 with Retry-After, and the site recovers.

In-process tests pin the middleware and the 500 handler; the end-to-end tests start `murasil serve`
and really take its database away: PostgreSQL behind a TCP proxy that the test cuts and restores,
SQLite locked by another process or with its file gone.
"""

import shutil
import sqlite3

from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import path

import pytest

from tests.factories import ensure_site, make_article, make_section
from tests.services import postgresql_url

from .server import base_env, get, served
from .tcp_proxy import TcpProxy

ARABIC_NOTICE = "الموقع غير متاح لبعض الوقت"


# In-process: what the middleware and the 500 handler answer ----------------------------------------------
def database_gone(request):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


def other_bug(request):
    raise RuntimeError("a plain bug")


handler500 = "murasil.core.views.server_error"
urlpatterns = [path("gone/", database_gone), path("bug/", other_bug), path("wp-json/gone/", database_gone)]


class DatabaseGoneInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/from-middleware/":
            raise OperationalError("server closed the connection unexpectedly")
        return self.get_response(request)


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_view_hitting_a_dead_database_answers_arabic_503(client, test_urls):
    # No database access is allowed in this test: the 503 page must not need one.
    client.raise_request_exception = False
    response = client.get("/gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert ARABIC_NOTICE in html
    assert 'dir="rtl"' in html
    assert "10.0.0.5" not in html  # nothing of the error reaches the reader


def test_api_and_script_clients_get_json(client, test_urls):
    for response in (client.get("/wp-json/gone/"), client.get("/gone/", HTTP_ACCEPT="application/json")):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        body = response.json()
        assert body["data"]["status"] == 503
        assert body["ok"] is False
        assert "حاول" in body["message"]


def test_database_error_raised_in_middleware_also_gets_503(client, test_urls, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.DatabaseGoneInMiddleware"]
    client.raise_request_exception = False
    response = client.get("/from-middleware/")
    assert response.status_code == 503
    assert ARABIC_NOTICE in response.content.decode()


def test_other_errors_are_still_500(client, test_urls):
    client.raise_request_exception = False
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_log_lines_are_rate_limited(client, test_urls, caplog, monkeypatch):
    from murasil.core import unavailable

    monkeypatch.setitem(unavailable._log_state, "at", 0.0)
    monkeypatch.setitem(unavailable._log_state, "suppressed", 0)
    with caplog.at_level("ERROR", logger="murasil.database"):
        for _ in range(20):
            assert client.get("/gone/").status_code == 503
    lines = [r for r in caplog.records if r.name == "murasil.database"]
    assert len(lines) == 1
    assert "Connection refused" in lines[0].getMessage()


@override_settings(LANGUAGE_CODE="en")
def test_english_sites_get_the_english_page(client, test_urls):
    from django.utils import translation

    with translation.override("en"):
        html = client.get("/gone/").content.decode()
    assert "The site is briefly unavailable" in html
    assert 'dir="ltr"' in html


# End to end: `murasil serve` with its database taken away ---------------------------------------------
def newsroom() -> str:
    ensure_site()  # a transactional test before this one flushed what the migrations made
    section = make_section("محليات", "local")
    article = make_article(section, "بلدية المدينة تفتتح حديقة عامة جديدة")
    return article.get_absolute_url()


def assert_unavailable(base: str, path: str) -> None:
    status, headers, body = get(base + path)
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert ARABIC_NOTICE in body


def assert_serving(base: str, path: str) -> None:
    status, _headers, body = get(base + path)
    assert status == 200, body[:500]
    assert "بلدية المدينة تفتتح حديقة عامة جديدة" in body


def assert_served_from_the_page_cache(base: str, path: str) -> None:
    """A page readers already fetched stays up while the database is away."""
    status, headers, body = get(base + path)
    assert (status, headers.get("X-Cache")) in {(200, "HIT"), (200, "STALE")}, (status, headers, body[:300])
    assert "بلدية المدينة تفتتح حديقة عامة جديدة" in body


@pytest.mark.django_db(transaction=True)
def test_postgresql_cut_then_restored(tmp_path):
    postgresql_url()
    article_url = newsroom()
    db = connection.settings_dict
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        user = db["USER"] or "postgres"
        env = base_env(
            tmp_path,
            DATABASE_URL=f"postgres://{user}@{proxy.address}/{db['NAME']}",
            DATABASE_CONNECT_TIMEOUT="2",
        )
        if db["PASSWORD"]:
            env["PGPASSWORD"] = db["PASSWORD"]
        with served(env, tmp_path / "serve.log") as base:
            assert_serving(base, article_url)

            proxy.cut("drop")  # the server went away: open connections reset, new ones refused
            assert_unavailable(base, "/")
            assert_served_from_the_page_cache(base, article_url)
            assert_unavailable(base, "/local/")  # never fetched: nothing to fall back on
            status, headers, body = get(base + "/wp-json/wp/v2/posts")
            assert status == 503
            assert '"status":503' in body

            proxy.restore()
            assert_serving(base, article_url)

            proxy.cut("hang")  # a black-holed host: connect_timeout turns it into a 503 too
            assert_served_from_the_page_cache(base, article_url)
            assert_unavailable(base, "/local/")  # never fetched: nothing to fall back on
            proxy.restore()
            assert_serving(base, article_url)
            assert get(base + "/")[0] == 200
        log = (tmp_path / "serve.log").read_text()
        assert "Database unavailable" in log


def sqlite_site(tmp_path) -> str:
    """This test's newsroom, committed, copied to a database file for a server of its own."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only: the PostgreSQL run cuts PostgreSQL instead")
    article_url = newsroom()
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "murasil.sqlite3")
    connection.connection.backup(target)
    target.close()
    return article_url


@pytest.mark.django_db(transaction=True)
def test_sqlite_locked_by_another_process_then_released(tmp_path):
    article_url = sqlite_site(tmp_path)
    # Connections are opened per request here: a kept one would hold the shared lock that stops the
    # other process from taking its exclusive lock in the first place.
    env = base_env(tmp_path, DATABASE_CONN_MAX_AGE="0")
    with served(env, tmp_path / "serve.log") as base:
        assert_serving(base, article_url)
        locker = sqlite3.connect(tmp_path / "murasil.sqlite3", isolation_level=None, timeout=10)
        locker.execute("PRAGMA locking_mode=EXCLUSIVE")
        locker.execute("BEGIN EXCLUSIVE")
        locker.execute("UPDATE wagtailcore_locale SET language_code = language_code")
        try:
            assert_served_from_the_page_cache(base, article_url)
            assert_unavailable(base, "/local/")  # after the 5-second busy timeout
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert_serving(base, article_url)


@pytest.mark.django_db(transaction=True)
def test_sqlite_file_gone_then_put_back(tmp_path):
    article_url = sqlite_site(tmp_path)
    env = base_env(tmp_path, DATABASE_CONN_MAX_AGE="0")
    database = tmp_path / "murasil.sqlite3"
    with served(env, tmp_path / "serve.log") as base:
        assert_serving(base, article_url)
        # The disk holding it was unmounted, say: the path now names something that is not a database.
        aside = tmp_path / "aside"
        aside.mkdir()
        for suffix in ("", "-wal", "-shm"):
            if (tmp_path / f"murasil.sqlite3{suffix}").exists():
                shutil.move(tmp_path / f"murasil.sqlite3{suffix}", aside / f"murasil.sqlite3{suffix}")
        database.mkdir()
        assert_served_from_the_page_cache(base, article_url)
        assert_unavailable(base, "/")
        database.rmdir()
        for moved in aside.iterdir():
            shutil.move(moved, tmp_path / moved.name)
        assert_serving(base, article_url)
