"""Reader views: article, section archive, reporter and tag pages."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from taggit.models import Tag

from .models import Article, ArticleReporter, Reporter, SectionPage, root_section_id_for
from .pagination import keyset_page


def _reporters_prefetch() -> Prefetch:
    return Prefetch(
        "article_reporters",
        queryset=ArticleReporter.objects.select_related("reporter").order_by("sort_order"),
    )


def article_detail(request: HttpRequest, section: str, pk: int, slug: str | None = None) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.published()
        .select_related("section", "root_section", "featured_image")
        .prefetch_related(_reporters_prefetch(), "tags"),
        pk=pk,
    )
    # Old links (changed headline, slug or section, or no slug at all) answer with a permanent redirect.
    if section != article.section.slug or slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    context = {
        "article": article,
        "page_section": article.section,
        "menu_section_id": article.root_section_id,
        "related_articles": article.related_articles(),
    }
    return render(request, "news/article_page.html", context)


def section_archive_context(request: HttpRequest, section: SectionPage) -> dict:
    articles = Article.objects.published().for_cards()
    if section.depth == 3:
        articles = articles.filter(root_section=section)
    else:
        descendants = list(SectionPage.objects.descendant_of(section, inclusive=True).values_list("id", flat=True))
        articles = articles.filter(section_id__in=descendants)
    children = SectionPage.objects.child_of(section).live().public().only("id", "title", "slug", "url_path")
    parent = section.get_parent().specific if section.depth > 3 else None
    return {
        "parent_section": parent,
        "page_obj": keyset_page(articles, request.GET, settings.MURASIL_PAGE_SIZE),
        "child_sections": list(children),
        "page_section": section,
        "menu_section_id": root_section_id_for(section),
    }


def reporter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    reporter = get_object_or_404(Reporter.objects.select_related("photo"), slug=slug)
    articles = Article.objects.published().for_cards().filter(article_reporters__reporter=reporter)
    page = keyset_page(articles, request.GET, settings.MURASIL_PAGE_SIZE)
    if not page.items and (request.GET.get("before") or request.GET.get("after")):
        raise Http404
    return render(request, "news/reporter_page.html", {"reporter": reporter, "page_obj": page})


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().for_cards().filter(tagged_items__tag=tag)
    page = keyset_page(articles, request.GET, settings.MURASIL_PAGE_SIZE)
    if not page.items:
        raise Http404
    return render(request, "news/tag_page.html", {"tag": tag, "page_obj": page})
