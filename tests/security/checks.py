"""What "no payload appears as live markup" means, as checks on parsed responses.

A page passes when, parsed as HTML (lxml's parser, which builds the same elements as a browser for
everything the checks look at):

- every <script> is ours: JSON-LD that parses as JSON, or a file from /static/;
- no element has an event-handler attribute (on*), `srcdoc` or `formaction`;
- no address attribute (href, src, action, data, poster, xlink:href, …) is javascript:, vbscript: or data:
  (after removing the whitespace and control characters a browser ignores);
- no style attribute or element carries expression(), url(javascript:), behavior or -moz-binding;
- none of the elements an attack needs and reader pages never have exists: frames (except embeds from
  the allowed hosts), object, embed, applet, base, svg, math, style, template, meta refresh, isindex;
- parts a reader controls hold only the markup they may hold (`assert_only_tags`).
"""

import json
import re
from collections import Counter

from lxml import etree, html

from murasil.core.sanitize import is_embed_frame

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite", "ping", "xlink:href",
    "{http://www.w3.org/1999/xlink}href", "codebase", "dynsrc", "lowsrc", "manifest", "icon",
}  # fmt: skip
NEVER_TAGS = {
    "object", "embed", "applet", "frame", "frameset", "base", "svg", "math", "style", "template", "isindex",
    "marquee", "xss", "foreignobject", "animate", "set", "mglyph",
}  # fmt: skip
# Tags whose number must not grow when a reader's text is on the page instead of harmless text.
WATCHED_TAGS = {"img", "form", "input", "button", "select", "textarea", "video", "audio", "source", "details",
                "iframe", "script", "link", "meta", "a", "noscript"}  # fmt: skip
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.I)
BAD_STYLE = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding|\\65|@import", re.I)
IGNORED_IN_URLS = re.compile(r"[\t\n\r]+")  # a browser's URL parser drops these anywhere…
C0_AND_SPACE = "".join(chr(i) for i in range(0x21))  # …and these at either end


def parse(markup: str | bytes):
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8", errors="replace")
    if not markup.strip():
        return html.fragment_fromstring("<div></div>")
    return (
        html.document_fromstring(markup)
        if "<html" in markup[:500].lower()
        else html.fragment_fromstring(markup, create_parent="div")
    )


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


# The same questions asked of the raw text, for markup that lxml's parser (libxml2) builds differently
# from a browser's: a second <body onload>, <noscript> content (raw text when scripts run). Escaped text
# never matches: it has no raw "<".
_RAW_ATTRIBUTE = r"""(?:[\s/]+[^\s/=<>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>`]++))?)"""
RAW_HANDLER = re.compile(rf"<[a-zA-Z][^\s/<>]*{_RAW_ATTRIBUTE}*?[\s/]+on[a-z]+\s*=", re.I)
RAW_SCRIPT = re.compile(r"<script\b(?![^>]*\btype=\"application/ld\+json\")(?![^>]*\bsrc=\"/static/)[^>]*>", re.I)


def problems(markup: str | bytes, static_prefix: str = "/static/") -> list[str]:
    """Everything on the page that is live markup a payload could have brought."""
    root = parse(markup)
    text = markup.decode("utf-8", errors="replace") if isinstance(markup, bytes) else markup
    found = [f"raw event handler: {m.group(0)[:80]}" for m in RAW_HANDLER.finditer(text)]
    found += [f"raw script tag: {m.group(0)[:80]}" for m in RAW_SCRIPT.finditer(text)]
    for element in root.iter():
        tag = _tag(element)
        if not tag:
            continue
        if tag in NEVER_TAGS:
            found.append(f"<{tag}> element")
        if tag == "script":
            kind = (element.get("type") or "").lower()
            if kind == "application/ld+json":
                try:
                    json.loads(element.text or "")
                except ValueError as error:
                    found.append(f"JSON-LD that does not parse: {error}")
            elif not (element.get("src") or "").startswith(static_prefix) or (element.text or "").strip():
                found.append(f"script not ours: {etree.tostring(element, encoding=str)[:120]}")
        if tag == "iframe" and not is_embed_frame(element.get("src") or ""):
            found.append(f"iframe from {element.get('src')!r}")
        if tag == "meta" and element.get("http-equiv"):
            found.append("meta http-equiv")
        if tag == "link" and BAD_SCHEME.match(IGNORED_IN_URLS.sub("", element.get("href") or "").strip(C0_AND_SPACE)):
            found.append("link to a script address")
        for name, value in element.attrib.items():
            short = name.rsplit("}", 1)[-1].lower()
            if short.startswith("on"):
                found.append(f"<{tag} {name}=…> event handler")
            elif short in ("srcdoc", "formaction"):
                found.append(f"<{tag} {name}>")
            elif short in URL_ATTRIBUTES or name.lower() in URL_ATTRIBUTES:
                cleaned = IGNORED_IN_URLS.sub("", value).strip(C0_AND_SPACE)
                if BAD_SCHEME.match(cleaned) and not re.match(
                    r"^data:image/(?:png|jpe?g|gif|webp|avif);", cleaned, re.I
                ):
                    found.append(f"<{tag} {name}={value[:60]!r}>")
            elif short == "style" and BAD_STYLE.search(value):
                found.append(f"<{tag} style={value[:60]!r}>")
    return found


def assert_clean(testcase, markup: str | bytes, where: str) -> None:
    found = problems(markup)
    testcase.assertEqual(found, [], f"live markup on {where}")


def tag_counts(markup: str | bytes, tags: set[str] = WATCHED_TAGS) -> Counter:
    root = parse(markup)
    return Counter(_tag(e) for e in root.iter() if _tag(e) in tags)


def assert_no_new_elements(testcase, baseline: str | bytes, markup: str | bytes, where: str) -> None:
    """The page with a payload in it has no more of the watched elements than with harmless text."""
    before, after = tag_counts(baseline), tag_counts(markup)
    grown = {tag: (before[tag], count) for tag, count in after.items() if count > before[tag]}
    testcase.assertEqual(grown, {}, f"elements added on {where} (before, after)")


def assert_only_tags(testcase, element, allowed: set[str], where: str) -> None:
    """`element`'s descendants are only of the allowed kinds (a reader's part of the page)."""
    extra = sorted({_tag(e) for e in element.iterdescendants() if _tag(e) and _tag(e) not in allowed})
    testcase.assertEqual(extra, [], f"unexpected elements inside {where}")


def json_ld_blocks(markup: str | bytes) -> list:
    root = parse(markup)
    return [json.loads(s.text) for s in root.iter("script") if (s.get("type") or "") == "application/ld+json"]
