"""An embed that degrades to a plain link: without this, an address the provider cannot answer for
(offline, removed video, unknown site) would leave an empty hole in the article."""

import logging

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException

from murasil.core.sanitize import clean_embed_html, safe_web_url

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def embed_or_link(url: str) -> SafeString:
    url = safe_web_url(url)
    if not url:
        return SafeString("")
    try:
        embed = embeds.get_embed(url)
    except EmbedException:
        embed = None
    except Exception:
        logger.warning("embed lookup failed for %s", url, exc_info=True)
        embed = None
    if embed is not None and embed.html:
        return mark_safe(clean_embed_html(embed.html))  # noqa: S308 - cleaned by the allow-list
    return format_html('<a class="embed-link" href="{}" rel="noopener">{}</a>', url, url)
