"""What the benchmarks share: a free port and a real `murasil serve` that is ready to answer."""

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MURASIL = [sys.executable, "-m", "murasil"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict, workers: int | None, port: int | None = None):
    """Start the production server (no scheduler), wait until it answers, yield its base URL, stop it.
    workers=None keeps `murasil serve`'s default worker count."""
    port = port or free_port()
    options = ["--workers", str(workers)] if workers else []
    server = subprocess.Popen(
        [*MURASIL, "serve", "--addr", f"127.0.0.1:{port}", *options, "--no-scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=5).read()  # noqa: S310 - local server
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("murasil serve did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def use_fresh_database(name: str) -> str | None:
    """With DATABASE_URL set, point it at a new empty PostgreSQL database `name` (dropped first if
    left over) and return the original URL, for drop_database(); without it, SQLite is used: None."""
    import os

    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return url


def drop_database(url: str | None, name: str) -> None:
    if not url:
        return
    from django.db import connection

    import psycopg

    connection.close()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
