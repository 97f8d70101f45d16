"""Reader views: article, section archive, reporter and tag pages."""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from taggit.models import Tag

from murasil.comments.models import CommentSettings
from murasil.comments.moderation import comments_closed
from murasil.core.models import NewsroomSettings
from murasil.images.prefetch import with_renditions

from .fragments import ArticleParts
from .models import Article, ArticleReporter, Reporter, SectionPage, root_section_id_for
from .pagination import keyset_page


def _reporters_prefetch() -> Prefetch:
    return Prefetch(
        "article_reporters",
        queryset=ArticleReporter.objects.select_related("reporter").order_by("sort_order"),
    )


# What the article page reads on every request; the rest only when a cached part is rendered again.
ARTICLE_ROW_FIELDS = (
    "id", "title", "slug", "standfirst", "section_id", "root_section_id", "first_published_at",
    "last_published_at", "expire_at", "comment_count", "comments_open", "related_ids",
)  # fmt: skip


def article_detail(request: HttpRequest, section: str, pk: int, slug: str | None = None) -> HttpResponse:
    parts = ArticleParts(pk, setting_models=(NewsroomSettings, CommentSettings))
    # The related articles named last time are read in the same query (their versions stamp the cards).
    hint = parts.stored.get("related_ids", [])
    rows = {a.pk: a for a in Article.objects.published().only(*ARTICLE_ROW_FIELDS).filter(pk__in=[pk, *hint])}
    article = rows.pop(pk, None)
    if article is None:
        raise Http404
    cached_section = parts.sections().get(article.section_id)
    if cached_section is not None:  # else (a section taken offline) it is read with the article
        article.section = cached_section
    # Old links (changed headline, slug or section, or no slug at all) answer with a permanent redirect.
    if section != article.section.slug or slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    parts.preload_settings(request)
    parts.share_section_urls(request)
    full = _FullArticle(article.pk)

    def render_part(template: str, **extra) -> Callable[[], str]:
        return lambda: render_to_string(template, {"article": full.get(), **extra}, request)

    related_rows = related_versions(article, rows, asked=set(hint))
    parts.remember("related_ids", article.related_candidates(RELATED_SHOWN))
    today = timezone.localdate()
    conf = CommentSettings.load(request_or_site=request)
    context = {
        "article": article,
        "page_section": article.section,
        "menu_section_id": article.root_section_id,
        "parts": {
            "seo": parts.part("seo", (article.last_published_at,), render_part("news/includes/article_seo.html")),
            "main": parts.part("main", (article.last_published_at,), render_part("news/includes/article_main.html")),
            "related": parts.part(
                "related",
                (tuple(related_rows), today),
                lambda: render_to_string(
                    "news/includes/related.html", {"related_articles": related_cards(related_rows)}, request
                ),
            ),
            "comments": parts.part(
                "comments",
                (article.comment_count, comments_closed(article, conf), conf.enabled, today),
                render_part("news/includes/article_comments.html"),
            ),
        },
    }
    parts.save()
    return render(request, "news/article_page.html", context)


class _FullArticle:
    """Everything the article's parts show, loaded once and only when a part is rendered again."""

    def __init__(self, pk: int):
        self.pk = pk
        self.article = None

    def get(self) -> Article:
        if self.article is None:
            self.article = (
                Article.objects.select_related("section", "root_section", "featured_image")
                .prefetch_related(_reporters_prefetch(), "tags")
                .get(pk=self.pk)
            )
            # Every photo's renditions in one query: the body's photos and the featured one.
            photos = [block.value["image"] for block in self.article.body if block.block_type == "image"]
            with_renditions([self.article.featured_image, *photos])
        return self.article


RELATED_SHOWN = 4


def related_versions(article: Article, known: dict | None = None, asked: set = frozenset()) -> list[tuple]:
    """(id, published version, comment count) of the related articles a reader may see, in list order.

    `known` holds published articles already read (by id) out of the ids `asked` for; only the
    other candidates are queried.
    """
    ids = article.related_candidates(RELATED_SHOWN)
    found = {pk: (a.pk, a.last_published_at, a.comment_count) for pk, a in (known or {}).items()}
    unknown = [pk for pk in ids if pk not in asked]
    if unknown:
        visible = Article.objects.published().filter(pk__in=unknown)
        found.update({row[0]: row for row in visible.values_list("pk", "last_published_at", "comment_count")})
    return [found[pk] for pk in ids if pk in found][:RELATED_SHOWN]


def related_cards(rows: list[tuple]) -> list[Article]:
    by_id = {a.pk: a for a in Article.objects.published().for_cards().filter(pk__in=[row[0] for row in rows])}
    return [by_id[row[0]] for row in rows if row[0] in by_id]


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
