"""When the database cannot be reached: a friendly 503 instead of a server error, for every request.

`DatabaseUnavailableMiddleware` (core/middleware.py) answers errors raised in views and templates;
`server_error` (core/views.py) answers the same errors raised anywhere else (other middleware, the
404 handler), where Django only calls the 500 handler. The page is rendered without a request
context, so it needs nothing from the database (no settings, no menu). Django reconnects by itself
on the next request (conn_health_checks), so the site recovers as soon as the database is back.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger("murasil.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER = 30  # seconds: what readers and crawlers are told to wait
LOG_EVERY = 60.0  # seconds between log lines while the database stays away

_log_lock = threading.Lock()
_log_state = {"at": 0.0, "suppressed": 0}


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def _log(request: HttpRequest, error: BaseException) -> None:
    with _log_lock:
        now = time.monotonic()
        if now - _log_state["at"] < LOG_EVERY:
            _log_state["suppressed"] += 1
            return
        suppressed, _log_state["suppressed"], _log_state["at"] = _log_state["suppressed"], 0, now
    log.error(
        "Database unavailable (%s: %s); answered 503 to %s %s%s.",
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "no message",
        request.method,
        request.path,
        f" and to {suppressed} other requests since the last line" if suppressed else "",
    )


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/wp-json/")
        or "rest_route" in request.GET
        or "application/json" in request.headers.get("Accept", "")
    )


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    _log(request, error)
    if _wants_json(request):
        from murasil.wp_api.http import dumps

        # Both shapes at once: the comment form reads `message`, WordPress clients `code` and `data`.
        body = {
            "ok": False,
            "code": "murasil_unavailable",
            "message": _("The site is briefly unavailable. Please try again in a minute."),
            "data": {"status": 503},
        }
        response = HttpResponse(dumps(body), status=503, content_type="application/json; charset=UTF-8")
    else:
        html = loader.get_template("503.html").render(
            {
                "LANGUAGE_CODE": settings.LANGUAGE_CODE,
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
        )
        response = HttpResponse(html, status=503)
        # The page's own inline style and nothing else (the site's CSP would block the style).
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    response["Retry-After"] = str(RETRY_AFTER)
    # Never kept by a cache (ours, a CDN's, the browser's): the next request must ask again.
    response["Cache-Control"] = "no-store"
    return response
