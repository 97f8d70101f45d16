"""schema.org JSON-LD for reader pages: NewsArticle, BreadcrumbList, CollectionPage, ProfilePage, WebSite.

Plain dictionaries, built from objects the page already loaded; `templatetags/seo_tags.py` writes
them into the page. Google's article guidelines ask for images at 16:9, 4:3 and 1:1, at least
1200 pixels wide when the original allows (Wagtail's `fill` never enlarges).
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from murasil.images import renditions
from murasil.images.specs import ARTICLE_IMAGES, PROFILE_IMAGE, SHARE_IMAGE
from murasil.news.models import Article, Reporter, SectionPage

from .links import absolute, logo_image

CONTEXT = "https://schema.org"


def w3c_time(value) -> str:
    """ISO 8601 in the site's time zone, to the second: 2026-11-29T10:30:00+03:00."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def image_object(rendition) -> dict:
    return {
        "@type": "ImageObject",
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
    }


def website_id() -> str:
    return absolute("/") + "#website"


def publisher(conf) -> dict:
    logo = logo_image(conf)
    data = {
        "@type": "NewsMediaOrganization",
        "@id": absolute("/") + "#publisher",
        "name": conf.outlet_name,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", **logo},
    }
    if conf.social_profiles:
        data["sameAs"] = conf.social_profiles
    return data


def person(reporter: Reporter) -> dict:
    data = {"@type": "Person", "name": reporter.name, "url": absolute(reporter.get_absolute_url())}
    if reporter.job_title:
        data["jobTitle"] = reporter.job_title
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """BreadcrumbList from [(name, absolute URL)], the home page first."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def section_trail(
    section: SectionPage, request: HttpRequest, conf, parent: SectionPage | None = None
) -> list[tuple[str, str]]:
    """Home › top-level section › … › `section`. A top-level section, or one whose parent the page
    already loaded, costs no query; deeper ones read their ancestors from the page tree."""
    if section.depth == 3:
        ancestors = [section]
    elif section.depth == 4 and parent is not None:
        ancestors = [parent, section]
    else:
        ancestors = SectionPage.objects.ancestor_of(section, inclusive=True).order_by("depth")
    trail = [(conf.outlet_name, absolute("/"))]
    return trail + [(page.title, iri_to_uri(page.get_full_url(request))) for page in ancestors]


def article_images(article: Article) -> list[dict]:
    if not article.featured_image:
        return []
    return [image_object(rendition) for rendition in renditions.each(article.featured_image, ARTICLE_IMAGES)]


def article_data(article: Article, request: HttpRequest, conf) -> list[dict]:
    """NewsArticle and its BreadcrumbList."""
    url = article.full_url
    images = article_images(article)
    if not images and conf.share_image:
        images = [image_object(renditions.one(conf.share_image, SHARE_IMAGE))]
    if not images:  # search engines want an image on every article: the outlet's logo at worst
        images = [{"@type": "ImageObject", **logo_image(conf)}]
    reporters = article.reporters
    published = article.first_published_at
    modified = article.last_published_at or published
    news_article = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.standfirst or article.title,
        "image": images,
        "datePublished": w3c_time(published),
        "dateModified": w3c_time(modified),
        # An unsigned article is the outlet's own.
        "author": [person(reporter) for reporter in reporters] or [publisher(conf)],
        "publisher": publisher(conf),
        "articleSection": article.section.title,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "wordCount": article.word_count,
        "isPartOf": {"@id": website_id()},
    }
    if article.live_coverage:
        news_article.update(live_blog(article, url))
    trail = section_trail(article.section, request, conf, parent=article.root_section) + [(article.title, url)]
    return [news_article, breadcrumbs(trail)]


def live_blog(article: Article, url: str) -> dict:
    """A running story is a LiveBlogPosting (a kind of article) with its updates, newest first."""
    from django.utils.html import strip_tags

    updates = article.updates_newest_first
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": w3c_time(updates[-1].posted_at if updates else article.first_published_at),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{url}#{update.anchor}",
                "url": f"{url}#{update.anchor}",
                "headline": strip_tags(update.text)[:110],
                "articleBody": strip_tags(update.text),
                "datePublished": w3c_time(update.posted_at),
                **({"author": person(update.author)} if update.author else {}),
            }
            for update in updates
        ],
    }
    if updates:
        data["dateModified"] = w3c_time(max(updates[0].posted_at, article.last_published_at or updates[0].posted_at))
    return data


def section_data(section: SectionPage, request: HttpRequest, conf, parent: SectionPage | None = None) -> list[dict]:
    url = iri_to_uri(section.get_full_url(request))
    page = {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": section.title,
        "description": section.description or section.title,
        "inLanguage": settings.LANGUAGE_CODE,
        "isPartOf": {"@id": website_id()},
        "publisher": publisher(conf),
    }
    return [page, breadcrumbs(section_trail(section, request, conf, parent))]


def reporter_data(reporter: Reporter, request: HttpRequest, conf) -> list[dict]:
    url = absolute(reporter.get_absolute_url())
    profile = {**person(reporter), "@id": url + "#person", "worksFor": {"@id": absolute("/") + "#publisher"}}
    if reporter.bio:
        profile["description"] = reporter.bio
    if reporter.photo:
        profile["image"] = image_object(renditions.one(reporter.photo, PROFILE_IMAGE))
    page = {
        "@context": CONTEXT,
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": reporter.name,
        "inLanguage": settings.LANGUAGE_CODE,
        "isPartOf": {"@id": website_id()},
        "mainEntity": profile,
    }
    return [page, breadcrumbs([(conf.outlet_name, absolute("/")), (reporter.name, url)])]


def tag_data(tag, request: HttpRequest, conf) -> list[dict]:
    url = absolute(reverse("news:tag", args=[tag.slug]))
    page = {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": tag.name,
        "inLanguage": settings.LANGUAGE_CODE,
        "isPartOf": {"@id": website_id()},
    }
    return [page, breadcrumbs([(conf.outlet_name, absolute("/")), (tag.name, url)])]


def home_data(request: HttpRequest, conf) -> list[dict]:
    """WebSite with the search box Google may show under the site's name, and the outlet itself."""
    search = absolute(reverse("search:page")) + "?q={search_term_string}"
    website = {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": website_id(),
        "url": absolute("/"),
        "name": conf.outlet_name,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": {"@id": absolute("/") + "#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search},
            "query-input": "required name=search_term_string",
        },
    }
    if conf.tagline:
        website["description"] = conf.tagline
    return [website, {"@context": CONTEXT, **publisher(conf)}]
