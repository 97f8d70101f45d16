"""Article bodies as HTML for `content.rendered`, for a whole page of articles at once.

The markup is the article page's (news/templates/news/blocks/), written out here so that 100
bodies cost a fixed handful of queries and no template rendering: rich text of every article is
expanded in one pass, images and embeds are fetched once for the batch. Two differences from the
page, both for API clients that show the HTML elsewhere: links and image addresses are absolute, and
a photo is the original file (no renditions are made on a GET; making them takes up to seconds).
"""

import re
import uuid

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape, linebreaks

from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.rich_text import expand_db_html

from murasil.core.sanitize import clean_embed_html, safe_web_url

# Joins the rich text of a whole batch for one expand_db_html() pass; cannot occur in saved rich text
# (Wagtail's editor whitelist drops comments).
_SEPARATOR = f"<!--{uuid.uuid4().hex}-->"
_RELATIVE = re.compile(r'(\s(?:href|src))="/(?!/)')


def absolute(html: str) -> str:
    return _RELATIVE.sub(lambda m: f'{m.group(1)}="{settings.MURASIL_SITE_URL}/', html)


def expand_many(sources: list[str]) -> list[str]:
    """expand_db_html over many fragments with one batch of link and image look-ups."""
    if not sources:
        return []
    parts = expand_db_html(_SEPARATOR.join(sources)).split(_SEPARATOR)
    if len(parts) != len(sources):  # pragma: no cover - the separator showed up in content after all
        parts = [expand_db_html(source) for source in sources]
    return [absolute(part) for part in parts]


def text_of(raw_blocks: list[dict]) -> str:
    """The readable text of a raw body (paragraphs, subheadings, quotes), without loading any block."""
    from django.utils.html import strip_tags

    parts = []
    for block in raw_blocks:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            parts.append(strip_tags(value or ""))
        elif kind == "heading":
            parts.append(value or "")
        elif kind == "quote" and isinstance(value, dict):
            parts.append(value.get("text", ""))
    return " ".join(parts)


def _figure_image(image, caption: str, credit: str) -> str:
    if image is None:
        return ""
    url = absolute_media_url(image.file.url)
    alt = escape(caption or "")
    size = f'width="{image.width}" height="{image.height}"'
    html = f'<figure class="body-image"><img src="{url}" {size} alt="{alt}" loading="lazy">'
    if caption or credit:
        credit_html = f' <span class="credit">{escape(credit)}</span>' if credit else ""
        html += f"<figcaption>{escape(caption)}{credit_html}</figcaption>"
    return html + "</figure>"


def absolute_media_url(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.MURASIL_SITE_URL + url


def render_bodies(raw_bodies: list[list[dict]]) -> list[str]:
    """HTML for each raw StreamField body (`article.body.raw_data`), in order."""
    paragraphs, image_ids, embed_urls = [], set(), set()
    for raw in raw_bodies:
        for block in raw:
            kind, value = block.get("type"), block.get("value")
            if kind == "paragraph":
                paragraphs.append(value or "")
            elif kind == "image" and isinstance(value, dict) and value.get("image"):
                image_ids.add(value["image"])
            elif kind == "embed" and safe_web_url(value):
                embed_urls.add(value)
    expanded = iter(expand_many(paragraphs))
    images = get_image_model().objects.in_bulk(image_ids) if image_ids else {}
    embeds = {}
    if embed_urls:
        for url, html in Embed.objects.filter(url__in=embed_urls).values_list("url", "html"):
            embeds.setdefault(url, html)

    rendered = []
    for raw in raw_bodies:
        out = []
        for block in raw:
            kind, value = block.get("type"), block.get("value")
            if kind == "paragraph":
                out.append(next(expanded))
            elif kind == "heading":
                out.append(f'<h2 class="body-heading">{escape(value)}</h2>')
            elif kind == "quote" and isinstance(value, dict):
                text = linebreaksbr(escape(value.get("text", "")))
                quote = f'<figure class="pullquote"><blockquote><p>{text}</p></blockquote>'
                if value.get("attribution"):
                    quote += f"<figcaption>— {escape(value['attribution'])}</figcaption>"
                out.append(quote + "</figure>")
            elif kind == "image" and isinstance(value, dict):
                out.append(
                    _figure_image(images.get(value.get("image")), value.get("caption", ""), value.get("credit", ""))
                )
            elif kind == "embed" and safe_web_url(value):
                inner = clean_embed_html(embeds.get(value) or "") or f'<a href="{escape(value)}">{escape(value)}</a>'
                out.append(f'<figure class="body-embed">{inner}</figure>')
        rendered.append("\n".join(out) + "\n" if out else "")
    return rendered


def paragraph(text: str) -> str:
    """Plain text as WordPress's excerpts come: wrapped in <p>, escaped."""
    return linebreaks(escape(text)) + "\n" if text else ""
