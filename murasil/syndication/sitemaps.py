"""Sitemaps: pages (home, sections, static pages), articles by month, reporters, tags.

Article sitemaps are one per calendar month (UTC) of first publication: a month is one range of the
(live, first_published_at, id) index, so a child sitemap costs the same at 1,000 or 1,000,000
articles, and an article never moves from one month to another. A month with more than `LIMIT`
articles gets further pages (`?p=2`) inside that range. Pages, reporters and tags are few and use
Django's and Wagtail's `Sitemap` classes as they are.
"""

import datetime
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.db.models import Case, Count, Exists, F, Max, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from taggit.models import Tag
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from murasil.core.models import HomePage
from murasil.news.models import Article, Reporter, SectionPage

from .feeds import articles_in_section

# Google and the protocol allow 50,000 URLs a file; 10,000 keeps each response small and quick.
LIMIT = 10_000


class OnPublicSite:
    """Absolute addresses on MURASIL_SITE_URL, whatever host or scheme the request came in on."""

    limit = LIMIT

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.MURASIL_SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.MURASIL_SITE_URL).netloc


def newest_article_time(articles: QuerySet) -> datetime.datetime | None:
    """The first publication time of the newest article in `articles` (one short index range)."""
    return articles.newest_first().values_list("first_published_at", flat=True).first()


class PagesSitemap(OnPublicSite, WagtailSitemap):
    """Wagtail's live, public pages. A section or the home page changes whenever an article appears
    on it, so its lastmod is the later of its own publication and its newest article's."""

    def _urls(self, page, protocol, domain) -> list[dict]:
        urls = []
        for item in self.paginator.page(page).object_list:
            lastmod = item.last_published_at or item.latest_revision_created_at
            if isinstance(item, SectionPage):
                newest = newest_article_time(articles_in_section(item))
            elif isinstance(item, HomePage):
                newest = newest_article_time(Article.objects.published())
            else:
                newest = None
            if newest and (lastmod is None or newest > lastmod):
                lastmod = newest
            urls.append({"item": item, "location": iri_to_uri(item.get_full_url(self.request)), "lastmod": lastmod})
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


def month_range(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, month, 1, tzinfo=UTC)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def article_month_urls(year: int, month: int, page: int = 1) -> list[tuple[str, datetime.datetime]]:
    """[(absolute URL, lastmod)] of one page of a month's articles, oldest first.

    Plain rows, not model instances: a month holds about 9,000 articles at 300 a day, and building
    that many instances and rendering them through a template took over a second.
    """
    start, end = month_range(year, month)
    rows = (
        Article.objects.published()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .order_by("first_published_at", "id")
        .values_list("id", "slug", "section__slug", "first_published_at", "last_published_at")
    )[(page - 1) * LIMIT : page * LIMIT]
    base = settings.MURASIL_SITE_URL
    return [
        (base + reverse("news:article", kwargs={"section": section, "pk": pk, "slug": slug}), modified or published)
        for pk, slug, section, published, modified in rows
    ]


def _month_key():
    # Months in UTC, computed by the database itself: SQLite stores UTC text ("2026-11-29 10:30:00"),
    # so its month is a prefix; Django's TruncMonth would call back into Python for every row there.
    if connection.vendor == "sqlite":
        return Substr("first_published_at", 1, 7)
    return TruncMonth("first_published_at", tzinfo=UTC)


def article_months() -> list[dict]:
    """[{month: "YYYY-MM", count, lastmod}] for every month with published articles, oldest first.

    PostgreSQL: one aggregate per month over that month's range of the covering index
    `syndication_article_month` (live, first_published_at) INCLUDE (expire_at, last_published_at),
    an index-only scan; a single GROUP BY over a million rows sorts them all and reads the table.
    SQLite: one GROUP BY over the published articles (its month is a prefix of the stored text).
    """
    published = Article.objects.published()
    if connection.vendor != "postgresql":
        rows = list(
            published.annotate(month=_month_key())
            .values("month")
            .annotate(count=Count("id"), lastmod=Max("last_published_at"))
            .order_by("month")
        )
        return [
            {**row, "month": row["month"] if isinstance(row["month"], str) else f"{row['month']:%Y-%m}"} for row in rows
        ]
    oldest = published.order_by("first_published_at", "id").values_list("first_published_at", flat=True).first()
    newest = newest_article_time(published)
    if oldest is None or newest is None:
        return []
    oldest, newest = oldest.astimezone(UTC), newest.astimezone(UTC)
    months = []
    year, month = oldest.year, oldest.month
    while (year, month) <= (newest.year, newest.month):
        start, end = month_range(year, month)
        row = published.filter(first_published_at__gte=start, first_published_at__lt=end).aggregate(
            count=Count("*"), lastmod=Max("last_published_at")
        )
        if row["count"]:
            months.append({"month": f"{year:04d}-{month:02d}", **row})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _with_published_work(queryset: QuerySet, link_filter: str) -> QuerySet:
    """Rows of `queryset` with a published article, annotated with the newest one's time.

    Membership is an EXISTS, which stops at the first published article, so the paginator's count
    (Django drops the unused `newest` annotation from it) stays cheap; `newest` is then computed for
    the rows of one page only.
    """
    articles = Article.objects.published().filter(**{link_filter: OuterRef("pk")})
    newest = Subquery(articles.newest_first().values("first_published_at")[:1])
    return queryset.filter(Exists(articles)).annotate(newest=newest).only("id", "slug").order_by("id")


class ReporterSitemap(OnPublicSite, Sitemap):
    """Reporters with at least one published article; lastmod is their newest article."""

    def items(self) -> QuerySet:
        return _with_published_work(Reporter.objects.all(), "article_reporters__reporter")

    def lastmod(self, item: Reporter) -> datetime.datetime:
        return item.newest


def tags_with_published_work() -> QuerySet:
    """Tags with a published article, annotated with the newest one's first publication time.

    The time comes from `TagActivity` (kept in step on publish) when the article it names is still
    published: one primary-key probe per tag. Otherwise (no row yet after a bulk import, or the
    article expired a moment ago and Wagtail has not withdrawn it yet) it is computed for that tag
    alone. Membership is always the EXISTS over the articles themselves, so a stale row can never
    list a tag, or show a time, that readers cannot see.
    """
    articles = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
    stored_is_public = Exists(Article.objects.published().filter(pk=OuterRef("syndication_activity__article_id")))
    newest = Case(
        When(stored_is_public, then=F("syndication_activity__published_at")),
        default=Subquery(articles.newest_first().values("first_published_at")[:1]),
    )
    return Tag.objects.filter(Exists(articles)).annotate(newest=newest).only("id", "slug").order_by("id")


class TagSitemap(OnPublicSite, Sitemap):
    """Tags with at least one published article (the others have no page); lastmod is the newest."""

    def items(self) -> QuerySet:
        return tags_with_published_work()

    def location(self, item: Tag) -> str:
        return reverse("news:tag", args=[item.slug])

    def lastmod(self, item: Tag) -> datetime.datetime:
        return item.newest
