"""Stream-reading a WordPress export (WXR 1.0–1.2): one record at a time, in constant memory.

    for record in read_wxr(path): ...   # Site, then Author / Term / Item records in file order

Element trees are freed as soon as a record is built, so a multi-gigabyte export reads in a few MB.
Entities are never expanded and nothing is fetched from the network (lxml's safe settings), so a
hostile file cannot blow up memory or reach out. Any problem raises WXRError naming the line.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from lxml import etree

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
# WordPress writes http://wordpress.org/export/1.2/; WordPress.com writes https://…: both are WXR.
WP_NS = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
ZERO_DATE = "0000-00-00 00:00:00"


class WXRError(Exception):
    """The file is not a readable WordPress export; the message names the line."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""


@dataclass
class Author:
    wp_id: int | None
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag", or another taxonomy's name
    wp_id: int | None
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    wp_id: int
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime.datetime | None
    date_local: datetime.datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    comment_type: str
    parent: int
    user_id: int


@dataclass
class Item:
    line: int
    wp_id: int
    title: str
    link: str
    creator: str
    guid: str
    content: str
    excerpt: str
    date_gmt: datetime.datetime | None
    date_local: datetime.datetime | None
    comment_status: str
    slug: str
    status: str
    parent: int
    menu_order: int
    post_type: str
    password: str
    sticky: bool
    attachment_url: str
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, slug, name)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    def meta_value(self, key: str) -> str:
        values = self.meta.get(key)
        return values[-1] if values else ""


Record = Site | Author | Term | Item


class _Names:
    """Maps namespaced tags to short names ("wp:post_id", "content:encoded"), whatever the WXR URI."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}
        self.versions: set[str] = set()

    def __call__(self, tag) -> str:
        if not isinstance(tag, str):
            return ""  # comments and processing instructions
        found = self.cache.get(tag)
        if found is not None:
            return found
        if tag.startswith("{"):
            uri, local = tag[1:].split("}", 1)
            if uri == CONTENT_NS:
                prefix = "content"
            elif uri == DC_NS:
                prefix = "dc"
            elif EXCERPT_NS.match(uri):
                prefix = "excerpt"
            elif match := WP_NS.match(uri):
                prefix = "wp"
                self.versions.add(match.group(1))
            else:
                prefix = uri
            name = f"{prefix}:{local}"
        else:
            name = tag
        self.cache[tag] = name
        return name


def _int(value: str, what: str, line: int, default: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        if default is not None:
            return default
        raise WXRError(f"line {line}: <{what}> is empty; a number is expected")
    try:
        return int(value)
    except ValueError:
        raise WXRError(f"line {line}: <{what}> should be a number, not {value[:40]!r}") from None


def _date(value: str, what: str, line: int, gmt: bool) -> datetime.datetime | None:
    value = (value or "").strip()
    if not value or value == ZERO_DATE:
        return None
    try:
        parsed = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise WXRError(f"line {line}: <{what}> should be a date like 2024-05-01 09:30:00, not {value[:40]!r}") from None
    return parsed.replace(tzinfo=datetime.UTC) if gmt else parsed


def _children(element, names: _Names) -> dict[str, str]:
    return {names(child.tag): (child.text or "") for child in element}


def _author(element, names: _Names) -> Author:
    values = _children(element, names)
    line = element.sourceline
    login = values.get("wp:author_login", "").strip()
    if not login:
        raise WXRError(f"line {line}: <wp:author> has no <wp:author_login>")
    return Author(
        wp_id=_int(values.get("wp:author_id", ""), "wp:author_id", line, default=0) or None,
        login=login,
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip() or login,
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def _term(element, names: _Names, kind: str) -> Term:
    values = _children(element, names)
    line = element.sourceline
    wp_id = _int(values.get("wp:term_id", ""), "wp:term_id", line, default=0) or None
    if kind == "wp:category":
        taxonomy, slug, name = "category", values.get("wp:category_nicename"), values.get("wp:cat_name")
        parent, description = values.get("wp:category_parent", ""), values.get("wp:category_description", "")
    elif kind == "wp:tag":
        taxonomy, slug, name = "post_tag", values.get("wp:tag_slug"), values.get("wp:tag_name")
        parent, description = "", values.get("wp:tag_description", "")
    else:
        taxonomy, slug, name = (
            values.get("wp:term_taxonomy", ""),
            values.get("wp:term_slug"),
            values.get("wp:term_name"),
        )
        parent, description = values.get("wp:term_parent", ""), values.get("wp:term_description", "")
    if not (slug or "").strip():
        raise WXRError(f"line {line}: <{kind}> has no slug")
    return Term(
        taxonomy=taxonomy,
        wp_id=wp_id,
        slug=slug.strip(),
        name=(name or slug).strip(),
        parent_slug=(parent or "").strip(),
        description=(description or "").strip(),
    )


def _comment(element, names: _Names) -> Comment:
    values = _children(element, names)
    line = element.sourceline
    return Comment(
        wp_id=_int(values.get("wp:comment_id", ""), "wp:comment_id", line),
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        ip=values.get("wp:comment_author_IP", "").strip(),
        date_gmt=_date(values.get("wp:comment_date_gmt", ""), "wp:comment_date_gmt", line, gmt=True),
        date_local=_date(values.get("wp:comment_date", ""), "wp:comment_date", line, gmt=False),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "1").strip(),
        comment_type=values.get("wp:comment_type", "").strip() or "comment",
        parent=_int(values.get("wp:comment_parent", ""), "wp:comment_parent", line, default=0),
        user_id=_int(values.get("wp:comment_user_id", ""), "wp:comment_user_id", line, default=0),
    )


def _item(element, names: _Names) -> Item:
    line = element.sourceline
    values: dict[str, str] = {}
    terms, meta, comments = [], {}, []
    for child in element:
        name = names(child.tag)
        if name == "category":
            terms.append(
                (child.get("domain", "category"), (child.get("nicename") or "").strip(), (child.text or "").strip())
            )
        elif name == "wp:postmeta":
            pair = _children(child, names)
            meta.setdefault(pair.get("wp:meta_key", ""), []).append(pair.get("wp:meta_value", ""))
        elif name == "wp:comment":
            comments.append(_comment(child, names))
        elif name:
            values[name] = child.text or ""
    if "wp:post_id" not in values:
        raise WXRError(f"line {line}: <item> has no <wp:post_id>")
    return Item(
        line=line,
        wp_id=_int(values["wp:post_id"], "wp:post_id", line),
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        guid=values.get("guid", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date_gmt=_date(values.get("wp:post_date_gmt", ""), "wp:post_date_gmt", line, gmt=True)
        or _pubdate(values.get("pubDate", "")),
        date_local=_date(values.get("wp:post_date", ""), "wp:post_date", line, gmt=False),
        comment_status=values.get("wp:comment_status", "open").strip(),
        slug=values.get("wp:post_name", "").strip(),
        status=values.get("wp:status", "publish").strip(),
        parent=_int(values.get("wp:post_parent", ""), "wp:post_parent", line, default=0),
        menu_order=_int(values.get("wp:menu_order", ""), "wp:menu_order", line, default=0),
        post_type=values.get("wp:post_type", "post").strip(),
        password=values.get("wp:post_password", ""),
        sticky=values.get("wp:is_sticky", "0").strip() == "1",
        attachment_url=values.get("wp:attachment_url", "").strip(),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def _pubdate(value: str) -> datetime.datetime | None:
    # Drafts carry no GMT date; WordPress's pubDate is then often a placeholder too, so only a real
    # RFC 822 date is used.
    try:
        parsed = parsedate_to_datetime(value) if value.strip() else None
    except (TypeError, ValueError):
        return None
    if parsed is None or parsed.year < 1971:
        return None
    return parsed.astimezone(datetime.UTC)


SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}
RECORD_TAGS = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}


def read_wxr(source: str | BinaryIO) -> Iterator[Record]:
    """Yield the Site (once, before the first other record), then every author, term and item."""
    names = _Names()
    site = Site()
    site_sent = False
    depth = 0
    try:
        context = etree.iterparse(
            source,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
            load_dtd=False,
            remove_comments=True,
        )
        for event, element in context:
            if event == "start":
                depth += 1
                if depth == 1 and names(element.tag) != "rss":
                    raise WXRError(
                        f"line {element.sourceline}: this is not a WordPress export (WXR): "
                        f"it starts with <{names(element.tag)}>, not <rss>"
                    )
                continue
            depth -= 1
            if depth != 2:  # only the children of <channel> are records
                continue
            name = names(element.tag)
            if name in SITE_FIELDS:
                setattr(site, SITE_FIELDS[name], (element.text or "").strip())
                continue
            if name not in RECORD_TAGS:
                element.clear()
                continue
            if not site_sent:
                _check_version(site, names, element.sourceline)
                site_sent = True
                yield site
            if name == "item":
                yield _item(element, names)
            elif name == "wp:author":
                yield _author(element, names)
            else:
                yield _term(element, names, name)
            # Free what is parsed: this element and the siblings before it.
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        message = error.msg or str(error)
        if "end of data" in message.lower() or line >= _last_line(source):
            raise WXRError(f"line {line}: the file ends too early (truncated export?): {message}") from None
        raise WXRError(f"line {line}: the file is not well-formed XML: {message}") from None
    if not site_sent:
        _check_version(site, names, None)
        yield site


def _last_line(source) -> int:
    """The number of the file's last line (only asked after an error, to tell a cut-off file)."""
    name = source if isinstance(source, str) else getattr(getattr(source, "handle", source), "name", None)
    if not isinstance(name, str):
        return 1 << 62
    with open(name, "rb") as handle:
        count = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return count + 1


def _check_version(site: Site, names: _Names, line: int | None) -> None:
    where = f"line {line}: " if line else ""
    if not site.wxr_version:
        raise WXRError(f"{where}no <wp:wxr_version> in <channel>: this is an RSS feed, not a WordPress export")
    if site.wxr_version not in SUPPORTED_VERSIONS:
        raise WXRError(
            f"{where}WXR version {site.wxr_version} is not supported (supported: {', '.join(SUPPORTED_VERSIONS)})"
        )
