"""WordPress post content → the blocks of an article body, as clean rich text.

WordPress stores markup in layers: block-editor comments (<!-- wp:paragraph -->), shortcodes
([caption], [gallery], [embed]), `<!--more-->`, and for the classic editor no <p> at all (its
wpautop adds them on display). This module peels those layers and walks the HTML once, emitting
Murasil's body blocks: paragraph (rich text), heading, quote, image, embed.

Everything not on the allow-list is dropped: scripts, styles, event handlers, inline styles, classes,
and links whose address is not http(s), mailto, tel or site-relative. Imported content is untrusted.
lxml does the parsing rather than Wagtail's own whitelister: that one parses with html5lib, which
costs more than the rest of an import put together.
"""

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from lxml import html

from murasil.core.sanitize import clean_body_data

MORE = re.compile(r"<!--more(?:\s[^>]*)?-->|<!--\s*wp:more\b.*?/wp:more\s*-->", re.S)
NEXTPAGE = re.compile(r"<!--nextpage-->|<!--\s*wp:nextpage\b.*?/wp:nextpage\s*-->", re.S)
# An embed block carries its address in the comment's JSON: keep it as a marker element.
# The whole block goes: the address inside its <figure> must not become a second embed.
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[a-z0-9-]+)?\s+(\{.*?\})\s*(?:/-->|-->.*?<!--\s*/wp:(?:core-)?embed(?:/[a-z0-9-]+)?\s*-->)",
    re.S,
)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
SHORTCODE = re.compile(
    r"\[(?P<name>caption|wp_caption|gallery|embed|video|audio|playlist)\b(?P<attrs>[^\]]*)\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.S | re.I,
)
# Page-builder and form shortcodes: the wrappers go, the text inside stays.
WRAPPER_SHORTCODE = re.compile(
    r"\[/?(?:vc_|et_pb_|fusion_|av_)[a-z0-9_]*[^\]]*\]|\[/?(?:contact-form-7|contact-form)[^\]]*\]", re.I
)
ATTRIBUTE = re.compile(r"""([a-zA-Z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.M)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")

# Sites whose addresses become embeds (the oEmbed providers Wagtail knows and newsrooms use).
EMBED_HOSTS = (
    "youtube.com", "youtu.be", "vimeo.com", "twitter.com", "x.com", "instagram.com", "facebook.com",
    "soundcloud.com", "tiktok.com", "dailymotion.com", "flickr.com", "spotify.com", "slideshare.net",
)  # fmt: skip
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "figure", "table", "pre", "hr",
    "div", "section", "article", "main", "aside", "header", "footer", "center", "iframe", "video", "audio",
    "dl", "details", "nav", "form", "address",
}  # fmt: skip
DROP_TAGS = {"script", "style", "noscript", "form", "input", "button", "select", "textarea", "object", "embed",
             "svg", "math", "template", "link", "meta", "canvas", "map"}  # fmt: skip
INLINE_MAP = {"b": "b", "strong": "b", "i": "i", "em": "i"}


@dataclass
class ImageRef:
    """An image the content names: by attachment id (wp-image-N, [gallery ids]) and/or address."""

    attachment_id: int | None
    url: str
    alt: str = ""
    caption: str = ""


@dataclass
class Converted:
    blocks: list[dict] = field(default_factory=list)
    text: str = ""  # the readable text, for word counts
    teaser: str = ""  # the text before <!--more-->, for an excerpt when there is none
    missing_images: list[str] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # tags removed as unsafe or unsupported


ImageResolver = Callable[[ImageRef], int | None]  # → a Wagtail image id, or None when not found


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ATTRIBUTE.finditer(text or "")}


def _marker(kind: str, **data) -> str:
    return f'<figure data-murasil="{kind}" data-value="{escape(json.dumps(data, ensure_ascii=False))}"></figure>'


def _shortcode(match: re.Match) -> str:
    name, attrs, inner = match.group("name").lower(), _attrs(match.group("attrs")), match.group("inner") or ""
    if name in ("caption", "wp_caption"):
        # [caption id="attachment_12"]<a><img …></a> The caption text[/caption]
        caption = attrs.get("caption") or re.sub(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>", "", inner, count=1)
        return f"<figure>{inner if '<img' in inner.lower() else ''}<figcaption>{caption.strip()}</figcaption></figure>"
    if name == "gallery":
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
        return _marker("gallery", ids=ids)
    if name == "embed":
        return _marker("embed", url=inner.strip())
    if name in ("video", "audio"):
        src = attrs.get("src") or attrs.get("mp4") or attrs.get("m4v") or attrs.get("mp3") or attrs.get("ogg") or ""
        return f'<p><a href="{escape(src)}">{escape(src)}</a></p>' if src else ""
    return ""  # [playlist]: nothing a reader could use without WordPress


def _embed_block(match: re.Match) -> str:
    try:
        url = json.loads(match.group(1)).get("url", "")
    except (ValueError, AttributeError):
        url = ""
    return _marker("embed", url=url) if url else ""


def is_embeddable(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in EMBED_HOSTS)


def embed_url(src: str) -> str:
    """An embed address a reader would share, from an <iframe src> (YouTube's /embed/ID → watch?v=ID)."""
    match = re.match(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", src)
    if match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = re.match(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)", src)
    if match:
        return f"https://vimeo.com/{match.group(1)}"
    return "https:" + src if src.startswith("//") else src


def safe_href(href: str, rewrite: Callable[[str], str] | None = None) -> str | None:
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", href or "")
    if not cleaned:
        return None
    if rewrite:
        cleaned = rewrite(cleaned)
    if cleaned.startswith(("/", "#", "?")) and not cleaned.startswith("//"):
        return cleaned
    scheme = urlsplit(cleaned).scheme.lower()
    return cleaned if scheme in SAFE_SCHEMES else None


def preprocess(content: str) -> tuple[str, str]:
    """(body HTML with WordPress's layers replaced by plain HTML or markers, the teaser before <!--more-->)."""
    content = content.replace("\r\n", "\n")
    content = EMBED_BLOCK.sub(_embed_block, content)
    content = BLOCK_COMMENT.sub("", content)
    content = NEXTPAGE.sub("\n\n", content)
    teaser = ""
    more = MORE.search(content)
    if more:
        teaser = content[: more.start()]
        content = content[: more.start()] + "\n\n" + content[more.end() :]
    content = SHORTCODE.sub(_shortcode, content)
    content = WRAPPER_SHORTCODE.sub("\n\n", content)
    # A bare address on its own line is an embed in WordPress (auto-embeds).
    content = URL_LINE.sub(
        lambda m: _marker("embed", url=m.group(1)) if is_embeddable(m.group(1)) else m.group(0), content
    )
    return content, teaser


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


class _Walker:
    def __init__(self, resolve_image: ImageResolver, rewrite_link: Callable[[str], str] | None) -> None:
        self.resolve_image = resolve_image
        self.rewrite_link = rewrite_link
        self.result = Converted()
        self.paragraph: list[str] = []
        self.pending_images: list[dict] = []
        self.texts: list[str] = []

    # Paragraph assembly -------------------------------------------------------------------------------
    def add_text(self, text: str | None, autop: bool) -> None:
        if not text:
            return
        if not autop:
            self.paragraph.append(escape(re.sub(r"\s+", " ", text), quote=False))
            return
        # Classic-editor text: a blank line ends a paragraph, a single newline is a line break.
        chunks = re.split(r"\n[ \t]*\n", text)
        for i, chunk in enumerate(chunks):
            if i:
                self.flush()
            lines = [re.sub(r"[ \t]+", " ", line) for line in chunk.split("\n")]
            joined = "<br/>".join(escape(line, quote=False) for line in lines)
            self.paragraph.append(joined)

    def flush(self) -> None:
        inner = "".join(self.paragraph).strip()
        inner = re.sub(r"^(?:<br/>|\s)+|(?:<br/>|\s)+$", "", inner)
        self.paragraph = []
        if inner and re.sub(r"<[^>]+>|\s|&nbsp;", "", inner):
            self.result.blocks.append(_block("paragraph", f"<p>{inner}</p>"))
            self.texts.append(re.sub(r"<[^>]+>", " ", inner))
        for image in self.pending_images:
            self.result.blocks.append(image)
        self.pending_images = []

    # Inline rich text ---------------------------------------------------------------------------------
    def inline(self, element, skip_lists: bool = False) -> str:
        """Allowed inline markup of `element`'s content (b, i, links, line breaks); images are set aside."""
        parts = [escape(re.sub(r"\s+", " ", element.text), quote=False) if element.text else ""]
        for child in element:
            if skip_lists and isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol"):
                continue
            parts.append(self.inline_element(child))
            if child.tail:
                parts.append(escape(re.sub(r"\s+", " ", child.tail), quote=False))
        return "".join(parts)

    def inline_element(self, child) -> str:
        tag = child.tag if isinstance(child.tag, str) else ""
        tag = tag.lower()
        if not tag:
            return ""
        if tag in DROP_TAGS:
            self.result.dropped.add(tag)
            return ""
        if tag == "br":
            return "<br/>"
        if tag == "img":
            self.image_from(child)
            return ""
        if tag in ("iframe", "video", "audio"):
            self.media_from(child, pending=True)
            return ""
        inner = self.inline(child)
        if tag in INLINE_MAP and inner.strip():
            wrap = INLINE_MAP[tag]
            return f"<{wrap}>{inner}</{wrap}>"
        if tag == "a":
            href = safe_href(child.get("href", ""), self.rewrite_link)
            if child.get("href") and href is None:
                self.result.dropped.add("unsafe link")
            if href and inner.strip():
                return f'<a href="{escape(href)}">{inner}</a>'
        return inner

    # Media --------------------------------------------------------------------------------------------
    def image_from(self, img, caption: str = "", pending: bool = True) -> None:
        src = img.get("src", "") or img.get("data-src", "")
        match = WP_IMAGE_CLASS.search(img.get("class", ""))
        ref = ImageRef(int(match.group(1)) if match else None, src, img.get("alt", "").strip(), caption)
        self.add_image(ref, pending)

    def add_image(self, ref: ImageRef, pending: bool) -> None:
        image_id = self.resolve_image(ref)
        if image_id is None:
            self.result.missing_images.append(ref.url or f"attachment {ref.attachment_id}")
            return
        block = _block("image", {"image": image_id, "caption": ref.caption[:250], "credit": ""})
        if pending:
            self.pending_images.append(block)
        else:
            self.result.blocks.append(block)

    def media_from(self, element, pending: bool) -> None:
        tag = element.tag.lower()
        src = element.get("src", "")
        if not src:
            source = element.find(".//source")
            src = source.get("src", "") if source is not None else ""
        if tag == "iframe" and src and is_embeddable(embed_url(src)):
            block = _block("embed", embed_url(src))
        elif src and safe_href(src):
            block = _block("paragraph", f'<p><a href="{escape(src)}">{escape(src)}</a></p>')
        else:
            self.result.dropped.add(tag)
            return
        if pending:
            self.pending_images.append(block)
        else:
            self.result.blocks.append(block)

    # Block level --------------------------------------------------------------------------------------
    def walk(self, container, autop: bool) -> None:
        self.add_text(container.text, autop)
        for child in container:
            self.element(child, autop)
            self.add_text(child.tail, autop)

    def element(self, child, autop: bool) -> None:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if not tag:
            return
        if tag in DROP_TAGS:
            self.result.dropped.add(tag)
            return
        if tag not in BLOCK_TAGS:
            if tag == "img":
                self.image_from(child)
            else:
                self.paragraph.append(self.inline_element(child))
            return
        self.flush()
        if tag == "p":
            self.paragraph.append(self.inline(child))
            self.flush()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = re.sub(r"\s+", " ", child.text_content()).strip()
            if text:
                self.result.blocks.append(_block("heading", text[:250]))
                self.texts.append(text)
            for img in child.iter("img"):
                self.image_from(img, pending=False)
        elif tag in ("ul", "ol"):
            self.list_block(child, tag)
        elif tag == "blockquote":
            self.quote(child)
        elif tag == "figure":
            self.figure(child)
        elif tag == "table":
            self.table(child)
        elif tag == "pre":
            lines = [escape(line, quote=False) for line in child.text_content().strip("\n").split("\n")]
            if any(line.strip() for line in lines):
                self.result.blocks.append(_block("paragraph", "<p>" + "<br/>".join(lines) + "</p>"))
                self.texts.append(child.text_content())
        elif tag in ("iframe", "video", "audio"):
            self.media_from(child, pending=False)
        elif tag == "hr":
            pass
        else:  # div, section, center…: their content is the flow
            self.walk(child, autop)
            self.flush()

    def list_block(self, element, tag: str) -> None:
        items = []
        for li in element.iter("li"):
            # Nested lists are flattened: each item's own text; its sub-list's items follow it.
            text = self.inline(li, skip_lists=True).strip()
            if text:
                items.append(f"<li>{text}</li>")
                self.texts.append(re.sub(r"<[^>]+>", " ", text))
        if items:
            self.result.blocks.append(_block("paragraph", f"<{tag}>{''.join(items)}</{tag}>"))
        self.flush()

    def quote(self, element) -> None:
        cite = element.find(".//cite")
        attribution = re.sub(r"\s+", " ", cite.text_content()).strip() if cite is not None else ""
        if cite is not None:
            cite.drop_tree()
        paragraphs = [re.sub(r"[ \t]+", " ", p.text_content()).strip() for p in element.findall(".//p")]
        text = "\n".join(p for p in paragraphs if p) or re.sub(r"[ \t]+", " ", element.text_content()).strip()
        if text:
            self.result.blocks.append(_block("quote", {"text": text, "attribution": attribution[:250]}))
            self.texts.append(text)

    def figure(self, element) -> None:
        marker = element.get("data-murasil")
        if marker:
            data = json.loads(element.get("data-value") or "{}")
            if marker == "embed" and data.get("url"):
                url = data["url"]
                if is_embeddable(url):
                    self.result.blocks.append(_block("embed", url))
                elif safe_href(url):
                    self.result.blocks.append(_block("paragraph", f'<p><a href="{escape(url)}">{escape(url)}</a></p>'))
            elif marker == "gallery":
                for attachment_id in data.get("ids") or []:
                    self.add_image(ImageRef(attachment_id, ""), pending=False)
            return
        caption_element = element.find(".//figcaption")
        caption = re.sub(r"\s+", " ", caption_element.text_content()).strip() if caption_element is not None else ""
        images = list(element.iter("img"))
        media = list(element.iter("iframe", "video", "audio"))
        for img in images:
            self.image_from(img, caption=caption if len(images) == 1 else "", pending=False)
        for item in media:
            self.media_from(item, pending=False)
        if len(images) > 1 and caption:
            self.result.blocks.append(_block("paragraph", f"<p>{escape(caption, quote=False)}</p>"))
        if not images and not media:
            # A figure holding a quote, a table or text: its content is the flow.
            if caption_element is not None:
                caption_element.drop_tree()
            self.walk(element, autop=False)
            self.flush()

    def table(self, element) -> None:
        for row in element.iter("tr"):
            cells = [re.sub(r"\s+", " ", cell.text_content()).strip() for cell in row if isinstance(cell.tag, str)]
            cells = [escape(c, quote=False) for c in cells if c]
            if cells:
                self.result.blocks.append(_block("paragraph", "<p>" + " | ".join(cells) + "</p>"))
                self.texts.append(" ".join(cells))


def convert(
    content: str,
    resolve_image: ImageResolver = lambda ref: None,
    rewrite_link: Callable[[str], str] | None = None,
) -> Converted:
    """The body blocks for one post's content (see the module docstring)."""
    body, teaser = preprocess(content or "")
    walker = _Walker(resolve_image, rewrite_link)
    if body.strip():
        root = html.fragment_fromstring(body, create_parent="div")
        # Classic-editor content (no <p> anywhere) gets wpautop's paragraphs from its blank lines.
        walker.walk(root, autop=True)
        walker.flush()
    result = walker.result
    # The walker already keeps only allowed markup; the shared allow-list is the second, independent
    # line, so what reaches the database is exactly what an editor's save would store.
    result.blocks = clean_body_data(result.blocks)
    result.text = "\n".join(walker.texts)
    if teaser.strip():
        result.teaser = plain_text(teaser)
    return result


def plain_text(markup: str) -> str:
    """Text only, for excerpts and comments: tags and shortcodes gone, line breaks kept."""
    if not (markup or "").strip():
        return ""
    markup = BLOCK_COMMENT.sub("", markup)
    markup = SHORTCODE.sub(
        lambda m: m.group("inner") if m.group("name").lower() in ("caption", "wp_caption") else "", markup
    )
    markup = re.sub(r"<br\s*/?>|</p>|</li>|</h\d>|</blockquote>", "\n", markup, flags=re.I)
    root = html.fragment_fromstring(markup, create_parent="div")
    for bad in root.xpath(".//script|.//style|.//img"):
        bad.drop_tree()
    text = root.text_content()
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()
