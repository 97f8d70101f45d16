"""RSS 2.0 and Atom feeds of published articles: the whole site, a section, a reporter, a tag.

Built on django.contrib.syndication. `get_object()` returns a `FeedScope` holding everything a
request needs (the articles, the settings, the addresses), so the shared Feed instances keep no
per-request state. Articles come from `Article.objects.published()` only.
"""

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from murasil.core.sanitize import safe_web_url
from murasil.images import renditions
from murasil.images.prefetch import body_images
from murasil.images.specs import FEED_BODY_PHOTO, FEED_PHOTO
from murasil.news.models import Article, ArticleReporter, Reporter, SectionPage

from .feedgen import NewsAtomFeed, NewsRssFeed
from .links import absolute, logo_image, newsroom

ROOT_RELATIVE = re.compile(r'(href|src)="/(?!/)')


@dataclass
class FeedScope:
    """What one feed request is about: its title and page, and the articles it lists."""

    title: str
    link: str
    description: str
    articles: QuerySet
    request: HttpRequest
    conf: object = field(repr=False)


def articles_in_section(section: SectionPage) -> QuerySet:
    """A section's articles, its subsections' included (the same rule as the section page)."""
    articles = Article.objects.published()
    if section.depth == 3:
        return articles.filter(root_section=section)
    ids = SectionPage.objects.descendant_of(section, inclusive=True).values_list("id", flat=True)
    return articles.filter(section_id__in=list(ids))


def feed_body_html(article: Article, images: dict | None = None) -> str:
    """The article body as plain HTML for feed readers: absolute links, images as <img>, embeds as links.

    Read from the raw body, with the photos of the whole feed loaded at once (`images`, by id).
    """
    parts = []
    images = images if images is not None else body_images([article], FEED_BODY_PHOTO)
    for block in article.body.raw_data if article.body else []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            parts.append(str(RichText(value or "")))
        elif kind == "heading":
            parts.append(format_html("<h2>{}</h2>", value))
        elif kind == "quote" and isinstance(value, dict):
            said_by = format_html("<cite>{}</cite>", value["attribution"]) if value.get("attribution") else ""
            parts.append(format_html("<blockquote><p>{}</p>{}</blockquote>", value.get("text", ""), said_by))
        elif kind == "image" and isinstance(value, dict) and images.get(value.get("image")):
            photo = renditions.one(images[value["image"]], FEED_BODY_PHOTO)
            caption = " ".join(filter(None, [value.get("caption"), value.get("credit")]))
            parts.append(
                format_html(
                    '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
                    photo.url,
                    photo.width,
                    photo.height,
                    value.get("caption", ""),
                    format_html("<figcaption>{}</figcaption>", caption) if caption else "",
                )
            )
        elif kind == "embed" and safe_web_url(value):
            parts.append(format_html('<p><a href="{}">{}</a></p>', value, value))
    return ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}="{settings.MURASIL_SITE_URL}/', "\n".join(parts))


class ArticleFeed(Feed):
    """The whole site's latest articles; subclasses narrow the scope."""

    feed_type = NewsRssFeed

    @property
    def language(self) -> str:
        return settings.LANGUAGE_CODE

    def get_object(self, request: HttpRequest, **kwargs) -> FeedScope:
        conf = newsroom(request)
        return FeedScope(
            title=conf.outlet_name,
            link=absolute("/"),
            description=conf.tagline or conf.outlet_name,
            articles=Article.objects.published(),
            request=request,
            conf=conf,
        )

    def title(self, scope: FeedScope) -> str:
        return scope.title

    def link(self, scope: FeedScope) -> str:
        return scope.link

    def description(self, scope: FeedScope) -> str:
        return scope.description

    def subtitle(self, scope: FeedScope) -> str:
        return scope.description

    def feed_url(self, scope: FeedScope) -> str:
        return absolute(scope.request.path)

    def author_name(self, scope: FeedScope) -> str:
        # The feed-level author stands in for entries without a byline (Atom requires one or the other).
        return scope.conf.outlet_name

    def feed_copyright(self, scope: FeedScope) -> str | None:
        return scope.conf.footer_text or None

    def feed_extra_kwargs(self, scope: FeedScope) -> dict:
        return {"logo": logo_image(scope.conf)}

    def items(self, scope: FeedScope) -> list[Article]:
        images = get_image_model().objects.prefetch_renditions(FEED_PHOTO)
        reporters = ArticleReporter.objects.select_related("reporter").order_by("sort_order")
        articles = list(
            scope.articles.select_related("section")
            .prefetch_related(
                Prefetch("featured_image", queryset=images),
                Prefetch("article_reporters", queryset=reporters),
                "tags",
            )
            .newest_first()[: scope.conf.feed_length]
        )
        photos = body_images(articles, FEED_BODY_PHOTO) if scope.conf.feed_full_text else {}
        for article in articles:
            # Item methods only see the item: give each what the scope knows.
            article.feed_full_text = scope.conf.feed_full_text
            article.feed_photos = photos
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_link(self, item: Article) -> str:
        return item.full_url

    def item_guid(self, item: Article) -> str:
        # Stable when the headline, slug or section (and so the URL) change: readers show no duplicate.
        host = settings.MURASIL_SITE_URL.split("://", 1)[1].split("/")[0].split(":")[0]
        return f"tag:{host},{item.first_published_at:%Y-%m-%d}:article:{item.pk}"

    def item_guid_is_permalink(self, item: Article) -> bool:
        return False

    def item_description(self, item: Article) -> str:
        return escape(item.standfirst or item.title)

    def item_pubdate(self, item: Article) -> datetime:
        return item.first_published_at.astimezone(UTC).replace(microsecond=0)

    def item_updateddate(self, item: Article) -> datetime:
        return (item.last_published_at or item.first_published_at).astimezone(UTC).replace(microsecond=0)

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.title, *(tag.name for tag in item.tags.all())]

    def item_extra_kwargs(self, item: Article) -> dict:
        extra = {
            "reporter_names": [reporter.name for reporter in item.reporters],
            "reporter_urls": [absolute(reporter.get_absolute_url()) for reporter in item.reporters],
            "content": feed_body_html(item, item.feed_photos) if item.feed_full_text else None,
            "photo": None,
        }
        if item.featured_image:
            photo = renditions.one(item.featured_image, FEED_PHOTO)
            extra["photo"] = {
                "url": absolute(photo.url),
                "type": mimetypes.guess_type(photo.url)[0] or "image/jpeg",
                "width": photo.width,
                "height": photo.height,
                "caption": item.featured_image_caption,
                "credit": item.featured_image_credit,
            }
        return extra


class SectionFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, section: SectionPage) -> FeedScope:
        conf = newsroom(request)
        return FeedScope(
            title=_("%(section)s | %(site)s") % {"section": section.title, "site": conf.outlet_name},
            link=absolute(section.get_url(request)),
            description=section.description or section.title,
            articles=articles_in_section(section),
            request=request,
            conf=conf,
        )


class ReporterFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> FeedScope:
        reporter = get_object_or_404(Reporter, slug=slug)
        conf = newsroom(request)
        return FeedScope(
            title=_("Articles by %(name)s | %(site)s") % {"name": reporter.name, "site": conf.outlet_name},
            link=absolute(reporter.get_absolute_url()),
            description=reporter.job_title or reporter.name,
            articles=Article.objects.published().filter(article_reporters__reporter=reporter),
            request=request,
            conf=conf,
        )


class TagFeed(ArticleFeed):
    def get_object(self, request: HttpRequest, slug: str) -> FeedScope:
        tag = get_object_or_404(Tag, slug=slug)
        conf = newsroom(request)
        articles = Article.objects.published().filter(tagged_items__tag=tag)
        if not articles.exists():  # like the tag page: a tag with nothing published has no page
            raise Http404
        return FeedScope(
            title=_("%(tag)s | %(site)s") % {"tag": tag.name, "site": conf.outlet_name},
            link=absolute(reverse("news:tag", args=[tag.slug])),
            description=tag.name,
            articles=articles,
            request=request,
            conf=conf,
        )


def atom(feed_class: type[ArticleFeed]) -> type[ArticleFeed]:
    """The Atom twin of an RSS feed class."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": NewsAtomFeed})
