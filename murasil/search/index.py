"""The one search interface: the reader search page, the admin listing's search box and the API use it.

search("اسعار الذهب")                 -> article ids, best first (every word, then any word)
search(q, within=Article.objects…)    -> the same, limited to a queryset (section, reporter, dates)
index_article(article_id)             -> (re)index one article, or drop it if readers may not see it
rebuild()                             -> index every published article again
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import QuerySet

from .analyzer import QueryTerm, parse_query, tokens
from .backends import backend

RESULT_LIMIT = 500  # per tier; a reader never pages past this
ANY_WORD_AFTER = 100  # with this many all-word matches, any-word matches are not looked for
# Articles with only some of the words come after every all-word match, so their tier ranks only its
# newest RESULT_LIMIT matches, not the newest RANK_WINDOW: a quarter of the vectors to read.
ANY_WORD_WINDOW = RESULT_LIMIT


def document_fields(article) -> dict[str, str]:
    return {
        "title": f"{article.kicker} {article.title}".strip(),
        "standfirst": article.standfirst,
        "tags": " ، ".join(tag.name for tag in article.tags.all()),
        "body": article.body_text(),
    }


def index_article(article_id: int) -> None:
    from murasil.news.models import Article

    article = Article.objects.published().prefetch_related("tags").filter(pk=article_id).first()
    if article is None:
        backend().delete(article_id)
    else:
        backend().upsert(article.pk, document_fields(article))


def remove_article(article_id: int) -> None:
    backend().delete(article_id)


def rebuild(progress: Callable[[int, int], None] | None = None, batch: int = 500, related: bool = True) -> int:
    from murasil.news.models import Article

    engine = backend()
    engine.clear()
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = Article.objects.filter(pk__in=ids[start : start + batch]).prefetch_related("tags")
        for article in chunk:
            engine.upsert(article.pk, document_fields(article))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    if related:
        from .related import batch_cache, refresh_related

        # Second pass: every article's neighbours are in the index now.
        with batch_cache():
            for article_id in ids:
                refresh_related(article_id, neighbours=False)
    return len(ids)


SYNONYMS_KEY = "murasil:search:synonyms"


def synonym_forms() -> dict[str, frozenset[str]]:
    """Each word's synonyms' forms, from the editable list (cached until the list changes)."""
    table = cache.get(SYNONYMS_KEY)
    if table is None:
        from .models import Synonym

        table = {}
        for row in Synonym.objects.all():
            group = [tokens(part) for part in row.terms.replace("،", ",").split(",")]
            group = [t[0] for t in group if len(t) == 1]  # single words only
            all_forms = frozenset().union(*(t.forms for t in group)) if group else frozenset()
            for token in group:
                table[token.word] = table.get(token.word, frozenset()) | all_forms
        cache.set(SYNONYMS_KEY, table, 3600)
    return table


def expand(terms: list[QueryTerm]) -> list[QueryTerm]:
    table = synonym_forms()
    return [
        replace(term, forms=term.forms | table[term.words[0]]) if not term.phrase and term.words[0] in table else term
        for term in terms
    ]


@dataclass
class Results:
    ids: list[int]
    terms: list[QueryTerm]
    every_count: int  # how many of `ids` match every word

    @property
    def truncated(self) -> bool:
        return len(self.ids) >= RESULT_LIMIT


def search(query: str, within: QuerySet | None = None, order: str = "relevance") -> Results:

    terms = expand(parse_query(query))
    if not terms:
        return Results([], [], 0)
    # The index holds published articles only (signal_handlers.py), so without filters there is
    # nothing to restrict; with them, the filtered queryset becomes an id subquery.
    sql, params = within.values("pk").query.sql_with_params() if within is not None else ("", ())
    engine = backend()
    every = engine.search(terms, True, sql, params, order, RESULT_LIMIT)
    if len(terms) == 1 or len(every) >= ANY_WORD_AFTER:
        # Enough articles have every word: the any-word tail would only come after all of these.
        return Results(every, terms, len(every))
    seen = set(every)
    anyof = engine.search(terms, False, sql, params, order, RESULT_LIMIT, window=ANY_WORD_WINDOW)
    anyof = [i for i in anyof if i not in seen]
    return Results(every + anyof, terms, len(every))
