"""The reference nginx configuration, rendered from one template with a deployment's parameters.

`murasil nginx_config` prints it for a real site; the tests render it for loopback and check it with
`nginx -t`, and bench/stack.py runs nginx with it, so the documented file is the measured one.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine

TEMPLATES = Path(__file__).resolve().parent / "templates"
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"


@dataclass
class NginxSite:
    server_names: list[str] = field(default_factory=lambda: ["news.example.com"])
    upstreams: list[str] = field(default_factory=lambda: ["127.0.0.1:8000"])
    tls: bool = True
    certificate: str = "/etc/letsencrypt/live/news.example.com/fullchain.pem"
    certificate_key: str = "/etc/letsencrypt/live/news.example.com/privkey.pem"
    http_listen: str = "80"
    https_listen: str = "443"
    static_root: str = ""  # default: the app's STATIC_ROOT
    media_root: str = ""  # default: the app's MEDIA_ROOT
    cache_dir: str = "/var/cache/nginx/murasil"
    cache_keys_zone: str = "50m"
    cache_max_size: str = "2g"
    microcache_seconds: int = 10
    purge_listen: str | None = "127.0.0.1:8081"  # None: no purge listener (nginx without the module)
    purge_allow: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    search_rate: int = 10  # requests a second per client address on /search/; 0 = no limit
    client_max_body_size: str = "64m"
    access_log: str = "/var/log/nginx/murasil.access.log murasil buffer=64k flush=5s"
    acme_root: str = "/var/www/letsencrypt"

    def context(self) -> dict:
        values = dict(self.__dict__)
        values["static_root"] = str(self.static_root or settings.STATIC_ROOT).rstrip("/")
        values["media_root"] = str(self.media_root or settings.MEDIA_ROOT).rstrip("/")
        values["session_cookie"] = settings.SESSION_COOKIE_NAME
        return values


def _engine() -> Engine:
    # Not the site's template engine: no HTML escaping in a config file.
    return Engine(dirs=[str(TEMPLATES)], autoescape=False)


def render_site(site: NginxSite) -> str:
    """The server configuration for /etc/nginx/sites-available/ (inside Debian's http block)."""
    return _engine().get_template("core/deploy/nginx-site.conf").render(Context(site.context()))


def render_standalone(
    site: NginxSite,
    prefix: str,
    worker_processes: str = "auto",
    mime_types: str = "/etc/nginx/mime.types",
    user: str = "",
) -> str:
    """A complete nginx.conf around the site, with its pid, logs and temporary files under `prefix`.

    `user`: whom the worker processes run as when nginx starts as root (nginx's default is nobody).
    """
    values = {
        "user": user,
        **site.context(),
        "prefix": prefix.rstrip("/"),
        "worker_processes": worker_processes,
        "mime_types": mime_types,
        "purge_module": PURGE_MODULE,
    }
    return _engine().get_template("core/deploy/nginx-standalone.conf").render(Context(values))
