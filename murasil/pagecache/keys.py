"""What a request is, for the page cache: whether it may be served from it, and under which key.

Everything here reads the WSGI environ (which is also Django's `request.META`), so the WSGI fast path
and the middleware compute the same key for the same request.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote_plus

from django.conf import settings
from django.utils.encoding import repercent_broken_unicode

# Never looked up: the admin, files, and the reader's private comment endpoints. Anything else is looked
# up, but only the views listed in dependencies.py are ever stored, so a miss is all other paths cost.
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/comments/")
INCLUDED_UNDER_EXCLUDED = ("/comments/feed/",)

# Tracking parameters change nothing on the page; they are left out of the key and out of the
# request the view sees, so every campaign link shares one cached copy.
TRACKING_PREFIXES = ("utm_",)
TRACKING_NAMES = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid"})

ENCODINGS = ("br", "gzip", "identity")


@dataclass(frozen=True)
class RequestKey:
    url: str  # scheme://host/path?normalized-query, for logs and tests
    digest: str
    encoding: str  # the variant this client gets: br, gzip or identity
    view_query: str  # the query string the view sees (tracking parameters removed)

    def entry_key(self, encoding: str | None = None) -> str:
        return f"e:{encoding or self.encoding}:{code_fingerprint()}:{self.digest}"

    @property
    def lock_key(self) -> str:
        return f"l:{self.digest}"

    @property
    def uncacheable_key(self) -> str:
        return f"n:{code_fingerprint()}:{self.digest}"


def bypass_cookies() -> tuple[str, ...]:
    # The session cookie marks staff (and anyone logged in); pending messages are shown to one reader.
    return (f"{settings.SESSION_COOKIE_NAME}=", f"{getattr(settings, 'MESSAGE_COOKIE_NAME', 'messages')}=")


def is_candidate(environ: dict) -> bool:
    """Cheap checks before any cache work: GET/HEAD, a reader path, no login and no credentials."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    path = environ.get("PATH_INFO", "")
    if path.startswith(EXCLUDED_PREFIXES) and not path.startswith(INCLUDED_UNDER_EXCLUDED):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    cookies = environ.get("HTTP_COOKIE")
    # A substring test can only err towards bypassing (a cookie named "xsessionid"), never towards serving.
    return not (cookies and any(name in cookies for name in bypass_cookies()))


def has_session_cookie(environ: dict) -> bool:
    cookies = environ.get("HTTP_COOKIE")
    return bool(cookies and f"{settings.SESSION_COOKIE_NAME}=" in cookies)


def wsgi_path(environ: dict) -> str:
    """The path as Django's request.path has it: WSGI gives bytes as latin-1, Django decodes UTF-8."""
    raw = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("iso-8859-1")
    return repercent_broken_unicode(raw).decode()


def request_key(environ: dict, path: str) -> RequestKey:
    """`path` is request.path in Django, wsgi_path(environ) before it: the same string for one URL."""
    view_query, key_query = split_query(environ.get("QUERY_STRING", ""))
    url = f"{request_scheme(environ)}://{request_host(environ)}{path}"
    if key_query:
        url += "?" + key_query
    digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return RequestKey(url, digest, choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", "")), view_query)


def split_query(query: str) -> tuple[str, str]:
    """(the query without tracking parameters, in its order; the same sorted by name, for the key)."""
    if not query:
        return "", ""
    kept = []
    for part in query.split("&"):
        if not part:
            continue
        name = part.split("=", 1)[0]
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if name.startswith(TRACKING_PREFIXES) or name in TRACKING_NAMES:
            continue
        kept.append(part)
    # A stable sort by name: ?a=1&b=2 and ?b=2&a=1 share a key; repeated names keep their order.
    ordered = sorted(kept, key=lambda part: part.split("=", 1)[0])
    return "&".join(kept), "&".join(ordered)


def request_scheme(environ: dict) -> str:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, secure_value = header
        value = environ.get(name)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def request_host(environ: dict) -> str:
    # The raw Host header: an entry is only ever stored for a host Django accepted (ALLOWED_HOSTS).
    host = environ.get("HTTP_HOST")
    if not host:
        host = f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    return host.lower()


_CODING = re.compile(r"\s*([A-Za-z0-9*_-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def choose_encoding(accept_encoding: str) -> str:
    """br, gzip or identity for an Accept-Encoding header (q=0 refuses a coding)."""
    if not accept_encoding:
        return "identity"
    accepted = set()
    for item in accept_encoding.lower().split(","):
        match = _CODING.fullmatch(item)
        if not match:
            continue
        coding, quality = match.groups()
        try:
            if quality is not None and float(quality) == 0:
                continue
        except ValueError:
            continue
        accepted.add(coding)
    if "br" in accepted and brotli_available():
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return "identity"


@cache
def brotli_available() -> bool:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def code_fingerprint() -> str:
    """A digest of the installed code, templates, translations and static manifest: entries rendered by
    another version of Murasil are never served, so a deploy needs no flush."""
    import django

    import wagtail

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{django.__version__} {wagtail.__version__}".encode())
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".html", ".xml", ".txt", ".mo"} and p.is_file()]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in sorted(files):
        digest.update(str(path.relative_to(package) if path.is_relative_to(package) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
