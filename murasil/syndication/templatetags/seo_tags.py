"""`{% seo_head kind object %}`: feed links, OpenGraph and Twitter card tags, and JSON-LD for a page."""

import json

from django import template
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from murasil.images import renditions
from murasil.images.specs import OG_IMAGE

from .. import structured_data
from ..links import absolute, newsroom

register = template.Library()

# JSON inside <script> must not close the element or open a comment: escape the three characters.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag
def absolute_url(path: str) -> str:
    """The full public address of a site path (MURASIL_SITE_URL)."""
    return absolute(path)


def _og_image(image, alt: str = "") -> dict | None:
    if not image:
        return None
    rendition = renditions.one(image, OG_IMAGE)
    return {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height, "alt": alt}


def _feeds(title: str, rss: str, atom: str) -> list[dict]:
    return [
        {"type": "application/rss+xml", "title": title, "href": absolute(rss)},
        {"type": "application/atom+xml", "title": f"{title} (Atom)", "href": absolute(atom)},
    ]


@register.inclusion_tag("syndication/seo_head.html", takes_context=True)
def seo_head(context, kind: str = "site", obj=None) -> dict:
    """kind: "site" (any page), "home", "section", "article", "reporter" or "tag"."""
    request = context["request"]
    conf = newsroom(request)
    site_feed = _feeds(conf.outlet_name, reverse("feed"), reverse("feed_atom"))
    head = {
        "site_name": conf.outlet_name,
        "og_type": "website",
        "title": conf.outlet_name,
        "description": conf.tagline,
        "url": absolute(request.path),
        "image": _og_image(conf.share_image),
        "article_tags": [],
        "json_ld": [],
        "feeds": site_feed,
        "x_account": conf.x_account.lstrip("@"),
        "locale": "ar_AR" if context.get("LANGUAGE_CODE", "ar") == "ar" else "en_US",
    }
    if kind == "home":
        head.update(url=iri_to_uri(obj.get_full_url(request)), json_ld=structured_data.home_data(request, conf))
    elif kind == "section":
        feeds = _feeds(
            _("%(section)s | %(site)s") % {"section": obj.title, "site": conf.outlet_name},
            obj.get_url(request) + "feed/",
            obj.get_url(request) + "feed/atom/",
        )
        head.update(
            title=obj.title,
            description=obj.description or obj.title,
            url=iri_to_uri(obj.get_full_url(request)),
            json_ld=structured_data.section_data(obj, request, conf, context.get("parent_section")),
            feeds=site_feed + feeds,
        )
    elif kind == "reporter":
        feeds = _feeds(
            _("Articles by %(name)s | %(site)s") % {"name": obj.name, "site": conf.outlet_name},
            reverse("reporter_feed", args=[obj.slug]),
            reverse("reporter_feed_atom", args=[obj.slug]),
        )
        head.update(
            og_type="profile",
            title=obj.name,
            description=Truncator(obj.bio).words(30) or obj.job_title or obj.name,
            url=absolute(obj.get_absolute_url()),
            image=_og_image(obj.photo, obj.name) or head["image"],
            json_ld=structured_data.reporter_data(obj, request, conf),
            feeds=site_feed + feeds,
        )
    elif kind == "tag":
        feeds = _feeds(
            _("%(tag)s | %(site)s") % {"tag": obj.name, "site": conf.outlet_name},
            reverse("tag_feed", args=[obj.slug]),
            reverse("tag_feed_atom", args=[obj.slug]),
        )
        head.update(
            title=obj.name,
            description=obj.name,
            url=absolute(reverse("news:tag", args=[obj.slug])),
            json_ld=structured_data.tag_data(obj, request, conf),
            feeds=site_feed + feeds,
        )
    elif kind == "article":
        head.update(
            og_type="article",
            title=obj.title,
            description=strip_tags(obj.standfirst) or obj.title,
            url=obj.full_url,
            image=_og_image(obj.featured_image, obj.featured_image_caption) or head["image"],
            json_ld=structured_data.article_data(obj, request, conf),
            published=structured_data.w3c_time(obj.first_published_at),
            modified=structured_data.w3c_time(obj.last_published_at or obj.first_published_at),
            section=obj.section.title,
            authors=[absolute(reporter.get_absolute_url()) for reporter in obj.reporters],
            article_tags=[tag.name for tag in obj.tags.all()],
        )
    head["json_ld"] = [json_ld_script(data) for data in head["json_ld"]]
    return head
