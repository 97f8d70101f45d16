"""One allow-list for every piece of HTML Murasil stores or shows from elsewhere.

Rich text is stored in Wagtail's database format (`<a linktype="page" id="3">`, `<embed embedtype="image"
id="4" format="fullwidth" alt="…"/>`), so that is what the allow-list keeps, together with the plain
markup an article body uses: paragraphs, line breaks, bold/italic, links, lists, subheadings, quotes
and tables. Everything else goes: scripts and styles with their content, event handlers, `style`,
`class`, forms, frames, SVG/MathML, comments, and any address that is not http(s), mailto, tel or
site-relative (javascript:, vbscript:, data: — with entity, whitespace and case tricks, which nh3
decodes the way a browser does before it checks).

nh3 (the Rust `ammonia` library) parses with html5ever, the same HTML5 algorithm browsers use, so what
it keeps is what a browser would build — the usual way filters are fooled is a parser that differs.

Explicit bidi embeddings and overrides (U+202A–U+202E) are removed from text too: they reverse how text
reads (a link "‮gpj.exe" shows as "exe.jpg"), and Arabic text needs only the marks (RLM, LRM, ALM)
and isolates, which stay.
"""

import re
from urllib.parse import urlsplit

import nh3

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}

RICH_TEXT_TAGS = {
    "p", "br", "b", "i", "strong", "em", "u", "s", "sub", "sup", "code", "a", "ol", "ul", "li",
    "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "embed",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"dir"},
}

# Provider HTML for embeds (oEmbed answers stored in Wagtail's Embed table): frames from these hosts only.
EMBED_FRAME_HOSTS = (
    "youtube.com", "youtube-nocookie.com", "player.vimeo.com", "dailymotion.com", "geo.dailymotion.com",
    "w.soundcloud.com", "open.spotify.com", "www.tiktok.com", "www.facebook.com", "www.instagram.com",
    "platform.twitter.com", "www.slideshare.net", "embedr.flickr.com",
)  # fmt: skip
EMBED_TAGS = {"iframe", "blockquote", "p", "a", "br", "b", "i", "strong", "em", "span", "div", "img", "figure"}
EMBED_ATTRIBUTES = {
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "frameborder", "loading"},
    "a": {"href"},
    "img": {"src", "width", "height", "alt"},
    "blockquote": {"cite"},
    "*": {"dir", "lang"},
}

BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
_EMBED_OPEN = re.compile(r"<embed\b([^>]*?)\s*/?>")
_DIGITS = re.compile(r"^\d{1,12}$")
_WORD = re.compile(r"^[\w-]{1,40}$")
_DIR = {"rtl", "ltr", "auto"}


def strip_bidi_overrides(text: str) -> str:
    return BIDI_OVERRIDES.sub("", text or "")


def is_safe_url(url: str, schemes: set[str] = SAFE_SCHEMES) -> bool:
    """http(s)/mailto/tel or a site-relative path; whitespace and control characters count against it."""
    if not url or url != url.strip() or re.search(r"[\x00-\x20\x7f]", url):
        return False
    if url.startswith(("/", "#", "?")):
        return not url.startswith(("//", "/\\"))
    return urlsplit(url).scheme.lower() in schemes


def safe_web_url(url: str) -> str:
    """`url` if it is an absolute http(s) address (an embed, a commenter's website), else ""."""
    url = (url or "").strip()
    return url if url.startswith(("http://", "https://")) and is_safe_url(url, {"http", "https"}) else ""


def _rich_text_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "id":
        return value if _DIGITS.match(value) else None
    if attr == "dir":
        return value.lower() if value.lower() in _DIR else None
    if attr in ("linktype", "embedtype", "format"):
        return value if _WORD.match(value) else None
    if attr == "url":
        return safe_web_url(value) or None
    if attr in ("colspan", "rowspan"):
        return value if _DIGITS.match(value) and int(value) <= 100 else None
    return value


def clean_rich_text(source: str) -> str:
    """Rich text (Wagtail's database format or imported HTML) with only the allowed markup left."""
    if not source:
        return source or ""
    cleaned = nh3.clean(
        strip_bidi_overrides(source),
        tags=RICH_TEXT_TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea"},
        attributes=RICH_TEXT_ATTRIBUTES,
        attribute_filter=_rich_text_attribute,
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # html5ever writes void elements as <br>, <embed …>; Wagtail's format (and its rewriter, for embeds)
    # has <br/> and <embed …/>. An embed whose address or id was refused would fail to render: it goes.
    cleaned = cleaned.replace("<br>", "<br/>").replace("<hr>", "<hr/>")
    return _EMBED_OPEN.sub(_embed_tag, cleaned)


def _embed_tag(match: re.Match) -> str:
    attrs = match.group(1)
    if ' embedtype="media"' in attrs and ' url="' not in attrs:
        return ""
    if ' embedtype="media"' not in attrs and ' id="' not in attrs:
        return ""
    return f"<embed{attrs}/>"


def _embed_attribute(tag: str, attr: str, value: str) -> str | None:
    if tag == "iframe" and attr == "src":
        return value if is_embed_frame(value) else None
    if tag == "img" and attr == "src":
        return safe_web_url(value) or None
    return value


def is_embed_frame(src: str) -> bool:
    src = "https:" + src if src.startswith("//") else src
    if not src.startswith("https://") or not is_safe_url(src):
        return False
    host = (urlsplit(src).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in EMBED_FRAME_HOSTS)


def clean_embed_html(source: str) -> str:
    """Provider HTML for an embed: frames from the allowed hosts, quoted posts as plain markup, no scripts.

    Providers such as X and Instagram send a <blockquote> plus their script: the quote stays (it reads
    fine), the script goes; an iframe from a host not on the list goes with everything in it."""
    if not source:
        return source or ""
    cleaned = nh3.clean(
        strip_bidi_overrides(source),
        tags=EMBED_TAGS,
        attributes=EMBED_ATTRIBUTES,
        attribute_filter=_embed_attribute,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A frame whose address was refused is an empty box: drop it.
    return re.sub(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", "", cleaned, flags=re.S)


def clean_body_data(raw_blocks: list[dict]) -> list[dict]:
    """A StreamField body as stored (list of {"type", "value", "id"}) with its rich text cleaned and
    unsafe embed addresses dropped. Returns a new list; blocks of unknown types are kept as they are
    (their templates escape everything)."""
    cleaned = []
    for block in raw_blocks or []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            block = {**block, "value": clean_rich_text(value)}
        elif kind == "embed":
            url = safe_web_url(value if isinstance(value, str) else "")
            if not url:
                continue
            block = {**block, "value": url}
        elif kind == "heading" and isinstance(value, str):
            block = {**block, "value": strip_bidi_overrides(value)}
        elif kind == "quote" and isinstance(value, dict):
            block = {
                **block,
                "value": {**value, **{k: strip_bidi_overrides(v) for k, v in value.items() if isinstance(v, str)}},
            }
        cleaned.append(block)
    return cleaned
