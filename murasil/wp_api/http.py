"""WordPress's REST conventions on the wire: error bodies, JSON, paging and caching headers.

Messages and codes are WordPress's own (wp-includes/rest-api), in English as WordPress sends them,
so clients that branch on `code` or show `message` behave as they do against WordPress.
"""

import hashlib
import json
import math
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

# Short: a reader-facing cache (CDN, app) may reuse a list for a minute; ETags make revalidation cheap.
MAX_AGE = 60


class WPError(Exception):
    """An error WordPress would answer with: {"code", "message", "data": {"status", …}}."""

    def __init__(self, code: str, message: str, status: int, **data):
        super().__init__(message)
        self.code, self.message, self.status, self.data = code, message, status, data

    def body(self) -> dict:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}


def no_route() -> WPError:
    return WPError("rest_no_route", "No route was found matching the URL and request method.", 404)


def invalid_params(problems: dict[str, tuple[str, str]]) -> WPError:
    """WordPress's 400 for arguments that fail validation: {param: (detail code, message)}."""
    return WPError(
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(problems),
        400,
        params={name: message for name, (_code, message) in problems.items()},
        details={name: {"code": code, "message": message, "data": None} for name, (code, message) in problems.items()},
    )


def api_root() -> str:
    return settings.MURASIL_SITE_URL + "/wp-json/"


def route_url(route: str, query: dict | None = None) -> str:
    """Absolute URL of a route such as "wp/v2/posts/5", optionally with a query string."""
    url = api_root() + route.lstrip("/")
    return url + "?" + urlencode(query) if query else url


def dumps(data) -> bytes:
    # Arabic stays as UTF-8 (a third of the bytes of \\uXXXX escapes); clients decode either.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(data, status: int = 200) -> HttpResponse:
    response = HttpResponse(dumps(data), status=status, content_type="application/json; charset=UTF-8")
    add_api_headers(response)
    return response


def error_response(error: WPError) -> HttpResponse:
    response = json_response(error.body(), status=error.status)
    response["Cache-Control"] = "no-cache, must-revalidate, max-age=0"
    return response


def add_api_headers(response: HttpResponse) -> None:
    response["Link"] = f'<{api_root()}>; rel="https://api.w.org/"'
    response["X-Robots-Tag"] = "noindex"
    response["Allow"] = "GET"
    # A public read API: browser apps on other origins may read it, and see the paging headers.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "X-WP-Total, X-WP-TotalPages, Link"
    response["Access-Control-Allow-Headers"] = (
        "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"
    )


def add_paging_headers(response: HttpResponse, request: HttpRequest, route: str, total: int, per_page: int) -> None:
    """X-WP-Total, X-WP-TotalPages and Link rel=prev/next, built as WordPress builds them."""
    pages = math.ceil(total / per_page) if per_page else 0
    page = int(request.GET.get("page") or 1)
    response["X-WP-Total"] = str(total)
    response["X-WP-TotalPages"] = str(pages)
    query = {key: value for key, value in request.GET.items() if key != "rest_route"}
    links = [response["Link"]]
    if page > 1:
        links.append(f'<{route_url(route, {**query, "page": min(page - 1, max(pages, 1))})}>; rel="prev"')
    if pages > page:
        links.append(f'<{route_url(route, {**query, "page": page + 1})}>; rel="next"')
    response["Link"] = ", ".join(links)


def finish(
    request: HttpRequest, response: HttpResponse, last_modified: datetime | None, trust_last_modified: bool
) -> HttpResponse:
    """Add the caching headers and answer 304 when the client's copy is current.

    The ETag is a digest of the body, so it is always right. Last-Modified is sent as a hint; it is
    used for If-Modified-Since only on single objects, because a list also changes when an item
    leaves it (unpublished, deleted), which no item's date records.
    """
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    timestamp = int(last_modified.timestamp()) if last_modified else None  # HTTP dates have whole seconds
    if timestamp:
        response["Last-Modified"] = http_date(timestamp)
        # Read by the page cache, which answers If-Modified-Since for stored copies (murasil/pagecache).
        response.last_modified_is_a_hint = not trust_last_modified
    conditional = get_conditional_response(
        request, etag=etag, last_modified=timestamp if trust_last_modified else None, response=response
    )
    return conditional


def newest(values: Iterable[datetime | None]) -> datetime | None:
    present = [value for value in values if value]
    return max(present) if present else None
