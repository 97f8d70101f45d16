"""The reference nginx configuration (docs/deploy/): valid for nginx, and doing what the guide says.

nginx runs for real here, with the configuration rendered for loopback, in front of a live app
server. Without nginx (and its cache-purge module) these tests are skipped on a workstation and fail
with CI=true: ./run test installs both.
"""

import gzip
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
import warnings
from pathlib import Path

from django.core.management import call_command
from django.test import LiveServerTestCase, override_settings

from wagtail.contrib.frontend_cache.backends import HTTPBackend

import pytest

from murasil.core.nginx import PURGE_MODULE, NginxSite, render_standalone
from tests.factories import ensure_site, make_article, make_section

ROOT = Path(__file__).resolve().parents[2]
DOCS_EXAMPLE = ROOT / "docs" / "deploy" / "nginx.conf"
# The parameters docs/deploy/nginx.conf was rendered with (the command is in docs/deploy/README.md).
EXAMPLE_COMMAND = [
    "--server-name",
    "news.example.com",
    "--server-name",
    "www.news.example.com",
    "--upstream",
    "10.0.0.11:8000",
    "--upstream",
    "10.0.0.12:8000",
    "--upstream",
    "10.0.0.13:8000",
    "--purge-allow",
    "127.0.0.1",
    "--purge-allow",
    "10.0.0.0/24",
    "--purge-listen",
    "10.0.0.10:8081",
]
EXAMPLE_ROOTS = {"STATIC_ROOT": "/srv/murasil/static", "MEDIA_ROOT": "/srv/murasil/media"}


def require_nginx() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    missing = [] if nginx else ["nginx"]
    if not os.path.exists(PURGE_MODULE):
        missing.append("libnginx-mod-http-cache-purge")
    if missing:
        message = f"{' and '.join(missing)} not installed (./run test installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return nginx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def loopback_site(folder: Path, upstreams: list[str], **overrides) -> NginxSite:
    cert, key = self_signed_certificate(folder)
    values = {
        "server_names": ["localhost"],
        "upstreams": upstreams,
        "certificate": str(cert),
        "certificate_key": str(key),
        "http_listen": f"127.0.0.1:{free_port()}",
        "https_listen": f"127.0.0.1:{free_port()}",
        "purge_listen": f"127.0.0.1:{free_port()}",
        "cache_dir": str(folder / "cache"),
        "access_log": f"{folder}/access.log murasil",
        "static_root": str(folder / "static"),
        "media_root": str(folder / "media"),
        **overrides,
    }
    return NginxSite(**values)


def standalone(site: NginxSite, folder: Path) -> Path:
    config = folder / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot read a private temporary folder.
    user = "root" if os.geteuid() == 0 else ""
    config.write_text(render_standalone(site, str(folder), worker_processes="1", user=user))
    return config


def nginx_test(nginx: str, config: Path, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([nginx, "-t", "-c", str(config), "-p", str(folder)], capture_output=True, text=True)


@pytest.mark.parametrize(
    "variant",
    [{}, {"tls": False}, {"purge_listen": None}, {"search_rate": 0, "microcache_seconds": 0}],
    ids=["tls", "http-only", "no-purge-module", "no-limits"],
)
def test_rendered_configuration_passes_nginx_t(tmp_path, variant):
    nginx = require_nginx()
    site = loopback_site(tmp_path, ["127.0.0.1:8001", "127.0.0.1:8002"], **variant)
    result = nginx_test(nginx, standalone(site, tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_broken_configuration_is_caught_by_nginx_t(tmp_path):
    # The check above would pass vacuously if nginx -t accepted anything.
    nginx = require_nginx()
    config = standalone(loopback_site(tmp_path, ["127.0.0.1:8001"]), tmp_path)
    config.write_text(config.read_text().replace("proxy_cache_lock on;", "proxy_cache_lock sometimes;", 1))
    assert nginx_test(nginx, config, tmp_path).returncode != 0


def test_docs_example_is_the_rendered_template(capsys):
    """docs/deploy/nginx.conf is generated, never edited by hand: re-render it with the README's command."""
    with override_settings(**EXAMPLE_ROOTS):
        call_command("nginx_config", *EXAMPLE_COMMAND)
    rendered = capsys.readouterr().out
    assert DOCS_EXAMPLE.read_text() == rendered, (
        "docs/deploy/nginx.conf is out of date: regenerate it with the command in docs/deploy/README.md"
    )


def test_docs_example_is_valid_inside_debian_layout(tmp_path):
    """The example as Debian would include it (in its http block, the purge module loaded)."""
    nginx = require_nginx()
    site_text = DOCS_EXAMPLE.read_text()
    # Loopback stand-ins for the example's addresses, certificate and folders; nothing else changes.
    cert, key = self_signed_certificate(tmp_path)
    for old, new in (
        ("/etc/letsencrypt/live/news.example.com/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/news.example.com/privkey.pem", str(key)),
        ("/var/cache/nginx/murasil", str(tmp_path / "cache")),
        ("/var/log/nginx/murasil.access.log", str(tmp_path / "access.log")),
        ("10.0.0.10:8081", f"127.0.0.1:{free_port()}"),
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen 443 ssl", f"listen 127.0.0.1:{free_port()} ssl"),
    ):
        assert old in site_text, old
        site_text = site_text.replace(old, new)
    (tmp_path / "murasil.conf").write_text(site_text)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"load_module {PURGE_MODULE};\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n include /etc/nginx/mime.types;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" client_body_temp_path {tmp_path}/body;\n include {tmp_path}/murasil.conf;\n}}\n"
    )
    result = nginx_test(nginx, config, tmp_path)
    assert result.returncode == 0, result.stderr


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Proxy-Cache")

    def text(self) -> str:
        body = gzip.decompress(self.body) if self.headers.get("Content-Encoding") == "gzip" else self.body
        return body.decode()


class NginxInFrontTests(LiveServerTestCase):
    """nginx with the reference configuration in front of a live app server (and a dead one)."""

    @classmethod
    def setUpClass(cls):
        cls.nginx = require_nginx()
        super().setUpClass()
        cls.folder = Path(cls._tmp_dir())
        (cls.folder / "static" / "murasil").mkdir(parents=True)
        (cls.folder / "media" / "images").mkdir(parents=True)
        (cls.folder / "media" / "documents").mkdir(parents=True)
        css = b"body { color: #222; }\n" * 50
        (cls.folder / "static" / "murasil" / "site.0123456789ab.css").write_bytes(css)
        (cls.folder / "static" / "murasil" / "site.0123456789ab.css.gz").write_bytes(gzip.compress(css))
        (cls.folder / "static" / "murasil" / "plain.css").write_bytes(css)
        (cls.folder / "media" / "images" / "photo.webp").write_bytes(b"RIFF0000WEBPVP8 ")
        (cls.folder / "media" / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 secret")
        live = cls.live_server_url.split("://", 1)[1]
        # A dead app server first: requests must go on to the live one.
        cls.site = loopback_site(cls.folder, [f"127.0.0.1:{free_port()}", live])
        config = standalone(cls.site, cls.folder)
        subprocess.run([cls.nginx, "-c", str(config), "-p", str(cls.folder)], check=True, capture_output=True)
        cls.https_port = int(cls.site.https_listen.rsplit(":", 1)[1])
        cls.tls = ssl.create_default_context(cafile=cls.site.certificate)

    @classmethod
    def tearDownClass(cls):
        pid_file = cls.folder / "nginx.pid"
        if pid_file.exists():
            subprocess.run([cls.nginx, "-c", str(cls.folder / "nginx.conf"), "-p", str(cls.folder), "-s", "stop"])
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    @staticmethod
    def _tmp_dir() -> str:
        import tempfile

        return tempfile.mkdtemp(prefix="murasil-nginx-test-")

    def setUp(self):
        ensure_site()
        section = make_section("اقتصاد", "economy")
        self.article = make_article(section, "ارتفاع أسعار القمح في الأسواق المحلية")

    def get(self, path: str, method: str = "GET", **headers) -> Response:
        connection = http.client.HTTPSConnection("localhost", self.https_port, context=self.tls, timeout=20)
        try:
            connection.request(method, path, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def test_anonymous_readers_share_one_cached_copy(self):
        path = self.article.get_absolute_url()
        first = self.get(path, **{"Accept-Encoding": "gzip"})
        second = self.get(path, **{"Accept-Encoding": "gzip, deflate, br"})
        plain = self.get(path)
        assert (first.status, first.cache) == (200, "MISS")
        assert (second.status, second.cache) == (200, "HIT")
        assert second.headers["Content-Encoding"] == "gzip"
        # A client without gzip gets the same page from the same (compressed) copy.
        assert plain.cache == "HIT" and "Content-Encoding" not in plain.headers
        assert plain.text() == second.text() == first.text()
        assert self.article.title in plain.text()

    def test_signed_in_editors_bypass_the_cache(self):
        path = self.article.get_absolute_url()
        self.get(path)
        editor = self.get(path, Cookie="csrftoken=x; sessionid=abc123")
        assert editor.status == 200 and editor.cache == "BYPASS"

    def test_private_answers_are_never_stored(self):
        for _ in range(2):
            token = self.get("/comments/token/")
            assert token.status == 200
            assert token.cache != "HIT"
            assert "private" in token.headers["Cache-Control"]

    def test_purge_drops_the_page_and_unpublished_articles_disappear(self):
        path = self.article.get_absolute_url()
        self.get(path)
        assert self.get(path).cache == "HIT"
        self.article.unpublish()
        assert self.get(path).status == 200, "within the microcache the old copy is still served"
        # What the app does after a change (MURASIL_PURGE_URLS → Wagtail's frontend cache, HTTP backend).
        HTTPBackend({"LOCATION": f"http://{self.site.purge_listen}"}).purge(
            f"https://localhost:{self.https_port}{path}"
        )
        gone = self.get(path)
        assert gone.status == 404 and gone.cache == "MISS"
        assert self.article.title not in gone.text()

    def test_purging_a_page_that_is_not_cached_is_not_an_error(self):
        connection = http.client.HTTPConnection(*self.site.purge_listen.split(":"), timeout=10)
        connection.request("PURGE", "/never-cached/", headers={"Host": "localhost"})
        assert connection.getresponse().status == 200

    def test_requests_skip_an_app_server_that_is_down(self):
        statuses = [self.get("/healthz").status for _ in range(4)]
        assert statuses == [200] * 4

    def test_hashed_static_files_are_immutable_and_precompressed(self):
        hashed = self.get("/static/murasil/site.0123456789ab.css", **{"Accept-Encoding": "gzip"})
        assert hashed.status == 200
        assert hashed.headers["Content-Encoding"] == "gzip"
        assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "color: #222" in hashed.text()
        plain = self.get("/static/murasil/plain.css")
        assert plain.status == 200 and plain.headers["Cache-Control"] == "public, max-age=3600"

    def test_media_is_served_but_documents_only_through_the_app(self):
        photo = self.get("/media/images/photo.webp")
        assert photo.status == 200 and photo.headers["Cache-Control"] == "public, max-age=2592000"
        assert self.get("/media/documents/private.pdf").status == 404

    def test_plain_http_redirects_to_https(self):
        host, port = self.site.http_listen.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/some/page/?a=1", headers={"Host": "news.example.com"})
        answer = connection.getresponse()
        assert answer.status == 301
        assert answer.headers["Location"] == "https://news.example.com/some/page/?a=1"

    def test_tls_is_modern_only(self):
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(self.site.certificate)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old.maximum_version = ssl.TLSVersion.TLSv1_1
            old.minimum_version = ssl.TLSVersion.TLSv1
        old.set_ciphers("ALL:@SECLEVEL=0")
        # The server's alert (not the client's refusal to offer an old version) is what ends it.
        with (
            pytest.raises(ssl.SSLError, match="PROTOCOL_VERSION"),
            socket.create_connection(("127.0.0.1", self.https_port)) as raw,
        ):
            old.wrap_socket(raw, server_hostname="localhost")
        with (
            socket.create_connection(("127.0.0.1", self.https_port)) as raw,
            self.tls.wrap_socket(raw, server_hostname="localhost") as tls,
        ):
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_nginx_config_command_refuses_a_bad_upstream():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("nginx_config", "--upstream", "app-server-without-port")
