"""Site-wide views: friendly Arabic error pages, robots.txt and the load balancers' health check."""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .unavailable import is_database_outage, unavailable_response

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # Article URLs name only the section's own slug (/iraq/123/…); a reader who trims one to /iraq/
    # means the section, which lives at its full path (/arab-world/iraq/).
    parts = [part for part in request.path.split("/") if part]
    if len(parts) == 1:
        from murasil.news.models import SectionPage

        section = SectionPage.objects.live().public().filter(slug=parts[0]).first()
        if section and section.get_url(request) != request.path:
            return HttpResponsePermanentRedirect(section.get_url(request))
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database outage raised outside a view (in middleware, in the 404 handler) lands here too.
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return unavailable_response(request, error)
    # No context processors here: whatever broke the page may break them too.
    return HttpResponseServerError(loader.get_template("500.html").render({"LANGUAGE_CODE": settings.LANGUAGE_CODE}))


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /documents/", ""]
    # The sitemaps (murasil.syndication), on the public address so crawlers find them from any host.
    lines += [f"Sitemap: {settings.MURASIL_SITE_URL}{reverse(name)}" for name in ("sitemap_index", "news_sitemap")]
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while this app server can answer readers, 503 when its database is unreachable.

    For load balancers and monitoring: no authentication, no session, two tiny round trips, never
    cached. The cache is reported but does not decide: a reader page needs the database above all.
    Nothing about the failure is shown beyond its name; the details go to the log.
    """
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError as error:
        # Django drops the broken connection when the request ends, so the next check connects anew.
        logger.warning("Health check: the database is unreachable: %s", error)
        healthy, database = False, "unreachable"
    try:
        cache.get("murasil:healthz")
        cache_state = "ok"
    except Exception as error:  # noqa: BLE001 - any backend's failure (refused, timed out) is "unreachable"
        logger.warning("Health check: the cache is unreachable: %s", error)
        cache_state = "unreachable"
    body = {"status": "ok" if healthy else "unavailable", "database": database, "cache": cache_state}
    return JsonResponse(body, status=200 if healthy else 503)
