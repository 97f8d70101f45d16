"""Suite-wide test setup.

With CI=true the PostgreSQL and Redis runs must really use those servers: a missing server fails the
run instead of quietly falling back to SQLite and the local cache.

`./run test` runs each pass in several processes (pytest-xdist, `--dist loadscope`): a test class, or
the functions of a module, is one unit of work, so setUpTestData and module fixtures run once.
Transactional tests (live servers, browsers) empty the database that the rest rely on, so, as in a
single process, they run after every other test of their process: their units are queued last, and
xdist hands units out in queue order (`--no-loadscope-reorder`, which pytest_configure sets).

Tests that start `murasil` in a subprocess on a SQLite site of their own copy `migrated_sqlite`
instead of migrating again (each migrate takes 10-20 s).
"""

import os
import subprocess
from pathlib import Path

import pytest

MIXED = pytest.StashKey[str]()


def _uses_db(item: pytest.Item) -> tuple[bool, bool]:
    """(uses the database, transactionally), decided as pytest-django decides its own test order."""
    from django.test import TestCase, TransactionTestCase

    from pytest_django.fixtures import validate_django_db

    cls = getattr(item, "cls", None)
    if cls and issubclass(cls, TransactionTestCase):
        return True, not issubclass(cls, TestCase)

    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional |= bool(transaction or reset_sequences)
    return bool(marker) or "db" in fixtures or transactional, transactional


def _scope(item: pytest.Item) -> str:
    """The unit `--dist loadscope` sends to one process: the class of a method, the module of a function."""
    return item.nodeid.rsplit("::", 1)[0]


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]):
    result = yield
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return result  # one process: pytest-django's own order (database, transactional, the rest)
    ranks: dict[str, set[int]] = {}  # 0 no database, 1 database in a rolled-back transaction, 2 transactional
    for item in items:
        uses_db, transactional = _uses_db(item)
        ranks.setdefault(_scope(item), set()).add(2 if transactional else int(uses_db))
    # A unit with both kinds could flush the database before its own rolled-back tests or another
    # unit's. Raising here would only crash the worker without the message: its tests fail instead.
    for item in items:
        if {1, 2} <= ranks[_scope(item)]:
            item.stash[MIXED] = (
                f"{_scope(item)} mixes transactional tests with tests that need the migrated data those "
                "remove; put them in classes or modules of their own (tests/conftest.py)."
            )
    rank = {scope: max(found) for scope, found in ranks.items()}
    # xdist hands units out in this order: tests without the database first (they fill gaps
    # between processes), transactional ones last.
    items.sort(key=lambda item: rank[_scope(item)])
    return result


def pytest_runtest_setup(item: pytest.Item) -> None:
    if MIXED in item.stash:
        pytest.fail(item.stash[MIXED], pytrace=False)


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server
    # The order above holds only if xdist keeps the queue as collected, unit by unit.
    dist = getattr(config.option, "dist", "no")
    if dist not in ("no", "loadscope"):
        raise pytest.UsageError(f"--dist {dist}: this suite runs in several processes with --dist loadscope only")
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    from axes.handlers.proxy import AxesProxyHandler

    for alias in ("default", "pages"):
        caches[alias].clear()
    # django-axes keeps the cache it first met: after a test that overrode CACHES it would count
    # failed logins in a cache that no longer is the default (which is what gets cleared).
    AxesProxyHandler.implementation = None
    # A transactional test with serialized_rollback empties the tables without post_migrate, which
    # would have cleared this per-process cache: the next test would use ids that no longer exist.
    ContentType.objects.clear_cache()
    yield


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A freshly migrated SQLite site database, made once per test process; copy it, never write to it."""
    from tests.faults.server import MURASIL, ROOT, base_env

    folder = tmp_path_factory.mktemp("migrated-site")
    command = [*MURASIL, "migrate", "-v0"]
    result = subprocess.run(command, cwd=ROOT, env=base_env(folder), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"murasil migrate failed:\n{result.stdout}\n{result.stderr}"
    return folder / "murasil.sqlite3"
