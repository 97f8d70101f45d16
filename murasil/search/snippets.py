"""Highlight the words an article really wrote, found through their analyzed forms."""

from collections.abc import Iterator
from itertools import takewhile

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import WORD, QueryTerm, analyze_word

SNIPPET_WORDS = 32


def _matching_forms(terms: list[QueryTerm]) -> tuple[set[str], set[str]]:
    forms, words = set(), set()
    for term in terms:
        forms |= set(term.forms)
        words |= set(term.words)
    return forms, words


def _spans(text: str, terms: list[QueryTerm]) -> Iterator[tuple[int, int]]:
    """The (start, end) of each written word that matches a term, in order; lazily, so a snippet
    stops reading a long body once its window is full."""
    forms, words = _matching_forms(terms)
    for match in WORD.finditer(text):
        for _, word, stem, alt, alt_stem in analyze_word(match.group()):
            if word in words or not forms.isdisjoint((word, stem, alt, alt_stem)):
                yield match.start(), match.end()
                break


def _render(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, cursor = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[cursor:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, terms: list[QueryTerm]) -> SafeString:
    return mark_safe(_render(text, list(_spans(text, terms))))  # noqa: S308 - _render escapes every piece


def snippet(standfirst: str, body_text: str, terms: list[QueryTerm]) -> SafeString:
    """About 30 words of the standfirst or body around the first match, with the matches marked."""
    for text in (standfirst, body_text):
        spans = _spans(text, terms)
        first_span = next(spans, None)
        if first_span is None:
            continue
        first = first_span[0]
        before = text[:first].split()[-8:]
        start = first - len(" ".join(before)) - 1 if before else first
        start = max(0, text.rfind(" ", 0, start + 1) + 1) if start > 0 else 0
        after = text[first:].split()[:SNIPPET_WORDS]
        end = min(len(text), first + len(" ".join(after)))
        marks = [first_span, *takewhile(lambda span, end=end: span[1] <= end, spans)]
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(prefix + _render(text, marks, start, end) + suffix)  # noqa: S308 - escaped in _render
    # The words matched the title or tags only: the article's own summary, else its opening words.
    if standfirst:
        return mark_safe(escape(standfirst))  # noqa: S308
    words = body_text.split()
    opening = escape(" ".join(words[:SNIPPET_WORDS])) + (" …" if len(words) > SNIPPET_WORDS else "")
    return mark_safe(opening)  # noqa: S308 - escaped above
