"""Highlight the words an article really wrote, found through their analyzed forms."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analyzer import QueryTerm, tokens

SNIPPET_WORDS = 32


def _matching_forms(terms: list[QueryTerm]) -> tuple[set[str], set[str]]:
    forms, words = set(), set()
    for term in terms:
        forms |= set(term.forms)
        words |= set(term.words)
    return forms, words


def _marks(text: str, terms: list[QueryTerm]) -> list[tuple[int, int]]:
    forms, words = _matching_forms(terms)
    spans = []
    for token in tokens(text):
        if token.word in words or token.forms & forms:
            spans.append((token.start, token.start + len(token.surface)))
    return spans


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
    return mark_safe(_render(text, _marks(text, terms)))  # noqa: S308 - _render escapes every piece


def snippet(standfirst: str, body_text: str, terms: list[QueryTerm]) -> SafeString:
    """About 30 words of the standfirst or body around the first match, with the matches marked."""
    for text in (standfirst, body_text):
        spans = _marks(text, terms)
        if not spans:
            continue
        first = spans[0][0]
        before = text[:first].split()[-8:]
        start = first - len(" ".join(before)) - 1 if before else first
        start = max(0, text.rfind(" ", 0, start + 1) + 1) if start > 0 else 0
        after = text[first:].split()[:SNIPPET_WORDS]
        end = min(len(text), first + len(" ".join(after)))
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(prefix + _render(text, spans, start, end) + suffix)  # noqa: S308 - escaped in _render
    return mark_safe(escape(standfirst))  # noqa: S308
