"""`murasil serve` is a complete production server: hashed static files, compression, security headers."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


SERVER_ENV: dict = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve-data")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    port = free_port()
    env.update(
        {
            "MURASIL_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
            "SECRET_KEY": "9fQ2-xLm7wZ8pT1vB4nC6yR3uE0aS5dG" * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "MURASIL_HTTPS": "false",
            "MURASIL_SITE_URL": f"http://127.0.0.1:{port}",
        }
    )
    murasil = [sys.executable, "-m", "murasil"]
    SERVER_ENV.update(env)
    subprocess.run([*murasil, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    process = subprocess.Popen(
        [*murasil, "serve", "--addr", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            get(base + "/robots.txt")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("murasil serve did not start") from None
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=30)


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
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
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
