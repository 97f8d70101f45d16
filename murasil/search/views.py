"""The reader's search page: /search/?q=… with filters, sorting, pagination and highlighted snippets."""

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from murasil.core.chrome import cached_with_chrome
from murasil.news.models import Article, Reporter, SectionPage

from .index import search
from .snippets import highlight, snippet

PAGE_SIZE = 10
MAX_QUERY = 200


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    order = "newest" if request.GET.get("sort") == "newest" else "relevance"
    within = Article.objects.published()
    section_id, reporter_slug = _int(request.GET.get("section")), request.GET.get("reporter", "")
    section = SectionPage.objects.live().filter(pk=section_id).first() if section_id is not None else None
    if section:
        within = within.filter(section__in=SectionPage.objects.descendant_of(section, inclusive=True))
    reporter = Reporter.objects.filter(slug=reporter_slug).first() if reporter_slug else None
    if reporter:
        within = within.filter(article_reporters__reporter=reporter)
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if date_from:
        within = within.filter(first_published_at__date__gte=date_from)
    if date_to:
        within = within.filter(first_published_at__date__lte=date_to)

    results, page, articles = None, None, []
    if query:
        filtered = bool(section or reporter or date_from or date_to)
        # Unfiltered, the index (published articles only) needs no id subquery: 130 ms saved at 100k.
        results = search(query, within=within if filtered else None, order=order)
        page = Paginator(results.ids, PAGE_SIZE).get_page(request.GET.get("page"))
        ids = list(page.object_list)
        # published() again: the index may still hold an article whose expiry time has just passed.
        by_id = {a.pk: a for a in Article.objects.published().for_cards("body").filter(pk__in=ids)}
        articles = [by_id[pk] for pk in ids if pk in by_id]
        for article in articles:
            article.search_title = highlight(article.title, results.terms)
            article.search_snippet = snippet(article.standfirst, article.body_text(), results.terms)
    context = {
        "query": query,
        "results": results,
        "page": page,
        "articles": articles,
        "order": order,
        "sections": cached_with_chrome("search-sections", _section_choices),
        "reporters": cached_with_chrome("search-reporters", _reporter_choices),
        "selected_section": section,
        "selected_reporter": reporter,
        "date_from": date_from,
        "date_to": date_to,
    }
    response = render(request, "search/search_page.html", context)
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def _section_choices() -> list[dict]:
    sections = SectionPage.objects.live().order_by("path").values("pk", "title", "depth")
    return [{"pk": s["pk"], "title": s["title"], "nested": s["depth"] > 3} for s in sections]


def _reporter_choices() -> list[dict]:
    return list(Reporter.objects.order_by("name").values("slug", "name"))


def _date(value) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:  # well-formed but impossible, such as 2026-99-99
        return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
