"""Sitemap index and children, the Google News sitemap, and the section feed dispatcher."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.html import escape
from django.utils.http import http_date

from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from murasil.core.chrome import CHROME_VERSION_KEY
from murasil.news.models import Article, SectionPage

from . import sitemaps
from .feeds import SectionFeed, atom
from .links import absolute, newsroom

# ETag from the body, 304 for a matching If-None-Match or If-Modified-Since: Django's own middleware.
conditional = decorator_from_middleware(ConditionalGetMiddleware)

NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000
INDEX_TTL = 600  # seconds; every publish changes the content version and with it the cache key


def _child(section: str, page: int = 1) -> str:
    if section.startswith("articles-"):
        year, month = section.removeprefix("articles-").split("-")
        url = absolute(reverse("sitemap_articles", kwargs={"year": year, "month": month}))
    else:
        url = absolute(reverse("sitemap_section", kwargs={"section": section}))
    return f"{url}?p={page}" if page > 1 else url


def index_entries() -> list[SitemapIndexItem]:
    """The sitemap index: one entry per child page, cached until the next publish (or INDEX_TTL)."""
    key = f"murasil:sitemap-index:{cache.get_or_set(CHROME_VERSION_KEY, 1, None)}"
    entries = cache.get(key)
    if entries is not None:
        return entries
    published = Article.objects.published()
    newest = sitemaps.newest_article_time(published)
    pages_changed = Page.objects.live().public().aggregate(newest=Max("last_published_at"))["newest"]
    entries = [SitemapIndexItem(_child("pages"), max(filter(None, [newest, pages_changed]), default=None))]
    for row in sitemaps.article_months():
        section = f"articles-{row['month']}"
        pages = -(-row["count"] // sitemaps.LIMIT)
        entries += [SitemapIndexItem(_child(section, page), row["lastmod"]) for page in range(1, pages + 1)]
    for section, sitemap in (("reporters", sitemaps.ReporterSitemap()), ("tags", sitemaps.TagSitemap())):
        pages = sitemap.paginator.num_pages if sitemap.paginator.count else 0
        entries += [SitemapIndexItem(_child(section, page), newest) for page in range(1, pages + 1)]
    cache.set(key, entries, INDEX_TTL)
    return entries


@conditional
@x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    entries = index_entries()
    lastmods = [entry.last_mod for entry in entries if entry.last_mod]
    headers = {"Last-Modified": http_date(max(lastmods).timestamp())} if lastmods else None
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml", headers=headers
    )


def _sitemap_for(request: HttpRequest, section: str):
    if section == "pages":
        return sitemaps.PagesSitemap(request)
    if section == "reporters":
        return sitemaps.ReporterSitemap()
    if section == "tags":
        return sitemaps.TagSitemap()
    raise Http404


def _page_number(request: HttpRequest) -> int:
    try:
        page = int(request.GET.get("p", 1))
    except ValueError:
        raise Http404 from None
    if page < 1:
        raise Http404
    return page


@conditional
@x_robots_tag
def article_month_sitemap(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """One month's articles (see sitemaps.py), written directly: it is the big one."""
    if not 1 <= int(month) <= 12:
        raise Http404
    urls = sitemaps.article_month_urls(int(year), int(month), _page_number(request))
    if not urls:  # an empty month or a page past the end: no sitemap (an empty urlset is invalid)
        raise Http404
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(loc)}</loc><lastmod>{w3c(lastmod)}</lastmod></url>" for loc, lastmod in urls]
    lines.append("</urlset>\n")
    newest = max(lastmod for _loc, lastmod in urls)
    return HttpResponse(
        "\n".join(lines), content_type="application/xml", headers={"Last-Modified": http_date(newest.timestamp())}
    )


def w3c(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL compiles a query whose estimated cost passes jit_above_cost; for the tag sitemap's
    one query (3,000 tags, two index probes each) compiling took ~190 of its ~215 ms at 1M articles."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


@conditional
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    sitemap = _sitemap_for(request, section)
    with _without_jit():
        response = django_sitemap(request, {section: sitemap}, section=section, template_name="syndication/sitemap.xml")
    if not response.context_data["urlset"]:  # no sitemap rather than an empty urlset, which is invalid
        raise Http404
    return response


@conditional
@x_robots_tag
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News: articles of the past 48 hours, newest first, at most 1,000.

    With nothing that recent it is an empty urlset, answered 200: Google's news sitemap guidance
    says an empty file causes no problem (Search Console notes it as empty, to be sure it is
    intended), while a 404 would be reported as a fetch error. The generic sitemap.xsd requires at
    least one <url>, so a strict validator rejects that one case; the child sitemaps, which can
    always be left out of the index, answer 404 instead of being empty."""
    articles = list(
        Article.objects.published()
        .filter(first_published_at__gte=timezone.now() - NEWS_WINDOW)
        .select_related("section")
        .only("id", "slug", "title", "first_published_at", "last_published_at", "section__id", "section__slug")
        .newest_first()[:NEWS_LIMIT]
    )
    conf = newsroom(request)
    headers = {"Last-Modified": http_date(articles[0].last_published_at.timestamp())} if articles else None
    context = {
        "articles": [(absolute(article.get_absolute_url()), article) for article in articles],
        "publication_name": conf.outlet_name,
        "language": settings.LANGUAGE_CODE,
    }
    return TemplateResponse(
        request, "syndication/news_sitemap.xml", context, content_type="application/xml", headers=headers
    )


_section_rss = conditional(SectionFeed())
_section_atom = conditional(atom(SectionFeed)())


def section_feed(request: HttpRequest, path: str, kind: str | None = None) -> HttpResponse:
    """`<section URL>feed/` (RSS) and `…feed/atom/`. Sections are Wagtail pages with nested paths, so
    the section is found by its path under the site's root; any other path ending in feed/ is
    handed back to Wagtail, as if this pattern did not exist."""
    site = Site.find_for_request(request)
    section = None
    if site:
        url_path = site.root_page.url_path + path
        section = SectionPage.objects.live().public().filter(url_path=url_path).first()
    if section is None:
        return wagtail_serve(request, path + ("feed/atom/" if kind else "feed/"))
    view = _section_atom if kind else _section_rss
    return view(request, section=section)
