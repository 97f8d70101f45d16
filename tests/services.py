"""For tests that need the real PostgreSQL or Redis: skip in the SQLite run, fail when CI requires them.

The SQLite run leaves DATABASE_URL and REDIS_URL unset, so those tests skip there; the PostgreSQL +
Redis run sets them and MURASIL_REQUIRE_SERVICES=1 (./run test), and with that or CI=true a server
that does not answer fails the test instead of skipping it.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest


def services_required() -> bool:
    return bool(os.environ.get("MURASIL_REQUIRE_SERVICES")) or os.environ.get("CI") == "true"


def _unavailable(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason}, and MURASIL_REQUIRE_SERVICES / CI=true require it")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    """REDIS_URL of this run, after checking the server answers; skips in the SQLite run."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("SQLite run without REDIS_URL: the PostgreSQL + Redis run checks this")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        _unavailable(f"Redis at {urlsplit(url).hostname}:{urlsplit(url).port} does not answer ({error})")
    return url


def postgresql_url() -> str:
    """DATABASE_URL of this run when it is PostgreSQL; skips in the SQLite run."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("SQLite run without a PostgreSQL DATABASE_URL: the PostgreSQL + Redis run checks this")
    import psycopg

    try:
        psycopg.connect(url, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL does not answer ({error})")
    return url
