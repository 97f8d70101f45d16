"""`murasil serve` is a complete production server: hashed static files, compression, security headers,
access logs, connections kept alive, a graceful reload and a health check for load balancers."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# The servers here run on SQLite and the file cache whatever the run: the PostgreSQL + Redis run would
# only repeat them (tests/faults runs `murasil serve` on PostgreSQL and Redis, tests/deploy a live server).
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the same SQLite servers ran in the SQLite run"
)
ROOT = Path(__file__).resolve().parents[2]
MURASIL = [sys.executable, "-m", "murasil"]
SECRET = "9fQ2-xLm7wZ8pT1vB4nC6yR3uE0aS5dG" * 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    """One request, redirects not followed."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def production_env(data: Path, port: int, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "MURASIL_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "MURASIL_HTTPS": "false",
            "MURASIL_SITE_URL": f"http://127.0.0.1:{port}",
            **extra,
        }
    )
    return env


def start(env: dict, port: int, *options: str, log: Path, database: Path, migrated: Path) -> subprocess.Popen:
    """`murasil serve` on `port` with a copy of the migrated site at `database`; returns once it answers."""
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, database)
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [*MURASIL, "serve", "--addr", f"127.0.0.1:{port}", *options],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while True:
        try:
            # /healthz: the one path that answers plain HTTP when the server expects HTTPS.
            get(f"http://127.0.0.1:{port}/healthz")
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("murasil serve did not start:\n" + log.read_text()) from None
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=60)


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def workers_of(supervisor: subprocess.Popen) -> set[int]:
    """The gunicorn workers under `murasil serve` (supervisor → gunicorn master → workers)."""
    return {worker for master in children(supervisor.pid) for worker in children(master)}


SERVER_ENV: dict = {}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> str:
    """One collectstatic for both servers of this module (`murasil serve` skips it when it is current)."""
    return str(tmp_path_factory.mktemp("serve-static"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, migrated_sqlite, static_root):
    data = tmp_path_factory.mktemp("serve-data")
    port = free_port()
    log = data / "serve.log"
    env = production_env(data, port, MURASIL_STATIC_ROOT=static_root)
    SERVER_ENV.update(env)
    options = ("--workers", "1", "--no-access-log")
    process = start(env, port, *options, log=log, database=data / "murasil.sqlite3", migrated=migrated_sqlite)
    yield f"http://127.0.0.1:{port}"
    stop(process)
    # No access log was asked for: nothing but gunicorn's start-up lines.
    assert '"GET /' not in log.read_text()


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory, migrated_sqlite, static_root):
    """Two workers of two threads, HTTPS expected (as behind nginx), the access log in a file."""
    data = tmp_path_factory.mktemp("serve-logged")
    port = free_port()
    access = data / "access.log"
    # The database in a folder of its own, opened per request, so a test can take it away.
    (data / "db").mkdir()
    database = data / "db" / "murasil.sqlite3"
    env = production_env(
        data, port, MURASIL_HTTPS="true", DATABASE_URL=f"sqlite:///{database}", DATABASE_CONN_MAX_AGE="0",
        MURASIL_STATIC_ROOT=static_root,
    )  # fmt: skip
    process = start(
        env, port, "--workers", "2", "--threads", "2", "--access-log", str(access), "--timeout", "20",
        log=data / "serve.log", database=database, migrated=migrated_sqlite,
    )  # fmt: skip
    yield process, f"http://127.0.0.1:{port}", access
    stop(process)
    (data / "db").mkdir(exist_ok=True)


def test_home_page_with_hashed_static_files(server):
    status, headers, body = get(server + "/")
    assert status == 200
    html = body.decode()
    assert '<html lang="ar" dir="rtl">' in html
    css = re.search(r'href="(/static/murasil/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the stylesheet is not served under a hashed name"
    status, css_headers, _ = get(server + css.group(1))
    assert status == 200
    assert "max-age=315360000" in css_headers.get("Cache-Control", "")


def test_security_headers(server):
    _, headers, _ = get(server + "/")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"  # reader pages; the admin is SAMEORIGIN (docs/security.md)
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_html_is_compressed(server):
    _, headers, _ = get(server + "/", **{"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"


def test_debug_is_off_and_errors_are_arabic(server):
    status, _, body = get(server + "/no-such-page/")
    assert status == 404
    text = body.decode()
    assert "الصفحة غير موجودة" in text
    assert "Traceback" not in text and "URLconf" not in text


def test_unknown_host_is_refused(server):
    status, _, _ = get(server + "/", Host="evil.example")
    assert status == 400


def test_healthz_answers_load_balancers(server):
    status, headers, body = get(server + "/healthz")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers


def test_access_log_records_requests_with_forwarded_client(logged_server):
    _, base, access = logged_server
    status, _, _ = get(base + "/healthz", **{"X-Forwarded-For": "203.0.113.7"})
    assert status == 200
    deadline = time.monotonic() + 10
    while "203.0.113.7" not in access.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    line = next(line for line in access.read_text().splitlines() if "203.0.113.7" in line)
    assert line.startswith("203.0.113.7 127.0.0.1 [")
    assert re.search(r'"GET /healthz HTTP/1.1" 200 \d+ \d+ms', line)


def test_health_check_is_exempt_from_the_https_redirect(logged_server):
    _, base, _ = logged_server
    status, headers, _ = get(base + "/")
    assert status == 301 and headers["Location"].startswith("https://")
    status, _, body = get(base + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_connections_are_kept_alive(logged_server):
    _, base, _ = logged_server
    connection = http.client.HTTPConnection(base.split("://")[1], timeout=10)
    connection.request("GET", "/healthz")
    first = connection.getresponse()
    first.read()
    sock = connection.sock
    connection.request("GET", "/healthz")
    second = connection.getresponse()
    second.read()
    assert first.status == second.status == 200
    assert first.headers.get("Connection", "").lower() != "close"
    assert connection.sock is sock, "the second request needed a new connection"
    connection.close()


def test_sighup_reloads_workers_without_dropping_requests(logged_server):
    process, base, _ = logged_server
    before = workers_of(process)
    assert len(before) == 2
    results: list[int | str] = []
    done = threading.Event()

    def keep_asking():
        while not done.is_set():
            try:
                results.append(get(base + "/healthz")[0])
            except OSError as error:
                results.append(repr(error))

    clients = [threading.Thread(target=keep_asking) for _ in range(3)]
    for client in clients:
        client.start()
    try:
        time.sleep(1)
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 120
        while True:
            now = workers_of(process)
            if len(now) == 2 and not now & before:
                break
            assert time.monotonic() < deadline, f"workers were not replaced: {before} → {now}"
            time.sleep(0.2)
        time.sleep(1)
    finally:
        done.set()
        for client in clients:
            client.join()
    assert process.poll() is None
    assert len(results) > 20
    assert [r for r in results if r != 200] == []


def test_healthz_answers_503_while_the_database_is_unreachable(logged_server):
    process, base, access = logged_server
    db = access.parent / "db"
    db.rename(access.parent / "db-away")  # SQLite cannot open (or create) a file in a missing folder
    try:
        status, headers, body = get(base + "/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
        assert "no-store" in headers["Cache-Control"]
    finally:
        (access.parent / "db-away").rename(db)
    status, _, body = get(base + "/healthz")
    assert status == 200 and json.loads(body)["database"] == "ok"


UPLOAD = """
import io
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection
from murasil.demo.images import news_photo
image = get_image_model()(title="upload", collection=Collection.get_first_root_node())
image.file = ImageFile(io.BytesIO(news_photo(7, size=(1600, 900))), name="upload.jpg")
image.save()
print(image.pk, image.renditions.count())
"""


def shell(code: str) -> str:
    command = [sys.executable, "-m", "murasil", "shell", "-v0", "-c", code]
    return subprocess.run(command, cwd=ROOT, env=SERVER_ENV, check=True, capture_output=True, text=True).stdout


def test_uploaded_photo_gets_its_renditions_from_the_background_worker(server):
    """An upload returns at once (nothing encoded in the request); the worker `murasil serve`
    started makes the photo's AVIF/WebP/JPEG set moments later."""
    pk, count = shell(UPLOAD).split()
    assert count == "0"
    photo = f"__import__('wagtail.images').images.get_image_model().objects.get(pk={pk})"
    count_made = f"print({photo}.renditions.count())"
    deadline = time.monotonic() + 90
    while int(shell(count_made)) < 12:
        assert time.monotonic() < deadline, "the background worker made no renditions"
        time.sleep(1)
    formats = shell(f"print(sorted({{r.filter_spec.split('format-')[1] for r in {photo}.renditions.all()}}))")
    assert formats.strip() == "['avif', 'jpeg', 'webp']"
