"""Site-wide views: friendly Arabic error pages and robots.txt."""

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from .unavailable import is_database_outage, unavailable_response


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
