"""Turning a rendered response into stored entries, and entries back into responses (WSGI or Django).

Entries are stored once per content coding (brotli, gzip, none), compressed when stored, with every
header already in its final form, so a hit sends bytes and headers without touching either. The
headers are the ones all middleware added to the original answer (Content-Security-Policy,
Permissions-Policy, X-Frame-Options, Referrer-Policy, HSTS, …), so a hit carries them too.
"""

import gzip
import hashlib
import time
from email.utils import formatdate

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_http_date_safe

from .keys import ENCODINGS, brotli_available
from .store import Entry

# Cache-Control for stored answers that did not choose their own, by content type. HTML is short so
# that a purge reaches browsers and shared caches within a minute; the app's own copy is purged exactly.
STALE_IF_ERROR = 86400
CACHE_CONTROL = {
    "text/html": "public, max-age=30, stale-while-revalidate=30",
    "application/rss+xml": "public, max-age=300",
    "application/atom+xml": "public, max-age=300",
    "application/xml": "public, max-age=600",
    "text/plain": "public, max-age=3600",
}
DEFAULT_CACHE_CONTROL = "public, max-age=60"
PRIVATE = "private, no-store"

COMPRESSIBLE = ("text/", "application/xml", "application/json", "application/javascript", "image/svg+xml")
MIN_COMPRESS = 200
NO_DATE = -1  # Entry.modified_at of an answer that If-Modified-Since must not judge
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # 9 is ~2 % smaller and ~8x slower; misses pay for it

# Never stored with an entry: set per response (Date by the server), rebuilt (validators, Vary,
# Cache-Control, length, coding) or fatal (Set-Cookie never gets this far).
DROPPED_HEADERS = frozenset(
    {
        "content-length",
        "content-encoding",
        "etag",
        "last-modified",
        "vary",
        "cache-control",
        "date",
        "set-cookie",
        "x-cache",
        "expires",
        "connection",
        "keep-alive",
        "transfer-encoding",
    }
)
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
NOT_MODIFIED_HEADERS = frozenset({"cache-control", "etag", "last-modified", "vary", "expires", "content-location"})


def content_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()


def cache_control_for(response: HttpResponse) -> str | None:
    """The Cache-Control an anonymous copy is sent with, or None when the answer must not be stored."""
    existing = response.get("Cache-Control")
    if existing:
        directives = {part.strip().split("=", 1)[0].lower() for part in existing.split(",")}
        if directives & {"private", "no-store", "no-cache"}:
            return None
        return existing
    base = CACHE_CONTROL.get(content_type(response), DEFAULT_CACHE_CONTROL)
    return f"{base}, stale-if-error={STALE_IF_ERROR}"


def storable_vary(response: HttpResponse) -> bool:
    # Cookie: the only cookies that change a reader page (session, messages) bypass the cache.
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= {"cookie", "accept-encoding"}


def uses_nonce(response: HttpResponse) -> bool:
    """True when the page's CSP carries a per-request nonce (a template read request.csp_nonce).

    Stored, that nonce would be served to every reader, and an attacker who saw it once could run
    any inline script on the page: such a page is rendered for each request instead.
    """
    return any("'nonce-" in response.get(name, "") for name in CSP_HEADERS)


def is_storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and storable_vary(response)
        and cache_control_for(response) is not None
        and not uses_nonce(response)
    )


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def build_entries(
    response: HttpResponse,
    *,
    url: str,
    tags: tuple[str, ...],
    fresh_until: float,
    previous: Entry | None,
    now: float | None = None,
) -> dict[str, Entry]:
    """The stored variants of a storable response, keyed by content coding."""
    now = now or time.time()
    body = response.content
    etag = response.get("ETag") or '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    etag = etag.removeprefix("W/")
    # If-Modified-Since is judged as the view would judge it: by its own Last-Modified, or not at all
    # when the view marks that date as a hint (a list's newest item says nothing of items that left
    # it). Without one: when this content was first rendered (kept while the content stays the same).
    view_modified = parse_http_date_safe(response["Last-Modified"]) if response.get("Last-Modified") else None
    if getattr(response, "last_modified_is_a_hint", False):
        modified_at = NO_DATE
    elif view_modified is not None:
        modified_at = view_modified
    elif previous is not None and previous.etag == etag:
        modified_at = previous.modified_at
    else:
        modified_at = int(now)
    last_modified = response.get("Last-Modified") or http_date(modified_at)  # never NO_DATE here
    common = [(name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS]
    common += [("Cache-Control", cache_control_for(response)), ("Last-Modified", last_modified)]
    compressible = len(body) >= MIN_COMPRESS and content_type(response).startswith(COMPRESSIBLE)
    bodies = {"identity": body}
    if compressible:
        bodies["gzip"] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        if brotli_available():
            import brotli

            bodies["br"] = brotli.compress(body, quality=BROTLI_QUALITY)
    entries = {}
    for encoding in ENCODINGS:
        coding = encoding if encoding in bodies else ("gzip" if encoding == "br" and "gzip" in bodies else "identity")
        data = bodies[coding]
        variant_etag = etag if coding == "identity" else "W/" + etag
        headers = [*common, ("ETag", variant_etag)]
        if compressible:
            headers.append(("Vary", "Accept-Encoding"))
        if coding != "identity":
            headers.append(("Content-Encoding", coding))
        headers.append(("Content-Length", str(len(data))))
        entries[encoding] = Entry(
            status=200,
            headers=headers,
            body=data,
            etag=etag,
            variant_etag=variant_etag,
            modified_at=modified_at,
            fresh_until=fresh_until,
            tags=tags,
            generations=(),
            url=url,
        )
    return entries


def not_modified(environ: dict, entry: Entry) -> bool:
    """If-None-Match (weak comparison) first; If-Modified-Since only without it (RFC 9110 13.2.2)."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        wanted = entry.etag
        return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and entry.modified_at != NO_DATE and entry.modified_at <= since
    return False


def wsgi_answer(environ: dict, entry: Entry, label: str) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    if not_modified(environ, entry):
        headers = [(name, value) for name, value in entry.headers if name.lower() in NOT_MODIFIED_HEADERS]
        return "304 Not Modified", [*headers, ("X-Cache", label)], []
    body = [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]
    return "200 OK", [*entry.headers, ("X-Cache", label)], body


def django_answer(environ: dict, entry: Entry, label: str) -> HttpResponse:
    if not_modified(environ, entry):
        response = HttpResponseNotModified()
        for name, value in entry.headers:
            if name.lower() in NOT_MODIFIED_HEADERS:
                response[name] = value
    else:
        response = HttpResponse(entry.body, status=entry.status)
        for name, value in entry.headers:
            response[name] = value
    response["X-Cache"] = label
    return response
