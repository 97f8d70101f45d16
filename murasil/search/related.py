"""Related articles: TF-IDF similarity over the analyzed words, plus shared tags and section.

Computed when an article is published or edited, and stored on it (Article.related_ids); the page
only reads the list. Steps: the article's most distinctive stems (term frequency, title and
standfirst counted more, times inverse document frequency from the index) find candidates through
the search index; candidates are scored by cosine similarity on those weights, plus a bonus per
shared tag and for the same section.
"""

import math
from collections import Counter
from contextlib import contextmanager

from .analyzer import STOP_WORDS, tokens
from .backends import backend, count_documents, count_matching
from .index import document_fields

FIELD_WEIGHT = {"title": 3.0, "standfirst": 2.0, "tags": 2.0, "body": 1.0}
QUERY_TERMS = 20
CANDIDATES = 60
STORED = 6
TAG_BONUS = 0.1
SECTION_BONUS = 0.03


# While many lists are computed in a row (an import, a rebuild), candidates' term counts and the
# terms' document frequencies repeat from article to article: batch_cache() keeps them meanwhile.
_memo: dict | None = None


@contextmanager
def batch_cache():
    """Remember term counts per article and document frequencies per term inside the block.

    Only for bulk work where the index does not change under it; a single publish stays exact.
    """
    global _memo
    outer, _memo = _memo, {"tf": {}, "df": {}}
    try:
        yield
    finally:
        _memo = outer


def _frequencies_of(article_ids: list[int]) -> dict[int, Counter]:
    """Term counts of several articles: from batch_cache() when remembered, else from their text."""
    from murasil.news.models import Article

    known = _memo["tf"] if _memo is not None else {}
    found = {pk: known[pk] for pk in article_ids if pk in known}
    missing = [pk for pk in article_ids if pk not in found]
    if missing:
        for candidate in Article.objects.filter(pk__in=missing).prefetch_related("tags"):
            found[candidate.pk] = known[candidate.pk] = term_frequencies(document_fields(candidate))
    return found


def _document_frequency(term: str) -> int:
    if _memo is None:
        return count_matching(term)
    found = _memo["df"].get(term)
    if found is None:
        found = _memo["df"][term] = count_matching(term)
    return found


def term_frequencies(fields: dict[str, str]) -> Counter:
    counts: Counter = Counter()
    for field, text in fields.items():
        for token in tokens(text):
            if len(token.stem) >= 3 and token.word not in STOP_WORDS and not token.stem.isdigit():
                counts[token.stem] += FIELD_WEIGHT[field]
    return counts


def compute_related(article) -> list[int]:
    from murasil.news.models import Article
    from murasil.search.analyzer import QueryTerm

    fields = document_fields(article)
    tf = term_frequencies(fields)
    total = max(count_documents(), 1)
    idf = {}
    for term, _ in tf.most_common(QUERY_TERMS * 2):
        df = _document_frequency(term)
        if df:
            idf[term] = math.log((total + 1) / df)
    weights = {t: tf[t] * w for t, w in idf.items() if w > 0}
    top = dict(sorted(weights.items(), key=lambda item: -item[1])[:QUERY_TERMS])
    if not top:
        return []
    terms = [QueryTerm((t,), frozenset({t}), phrase=False) for t in top]
    candidate_ids = [
        pk for pk in backend().search(terms, False, "", (), "relevance", CANDIDATES + 1) if pk != article.pk
    ]
    from murasil.news.models import ArticleTag

    # Only what scoring needs: section, date, tag ids, and each candidate's term counts (remembered
    # in batch_cache(), so a bulk job reads a candidate's full text once).
    candidates = Article.objects.filter(pk__in=candidate_ids).only("id", "section_id", "first_published_at")
    tags_of: dict[int, set[int]] = {}
    for article_id, tag_id in ArticleTag.objects.filter(content_object_id__in=candidate_ids).values_list(
        "content_object_id", "tag_id"
    ):
        tags_of.setdefault(article_id, set()).add(tag_id)
    counts = _frequencies_of(candidate_ids)
    own_tags = {tag.pk for tag in article.tags.all()}
    query_norm = math.sqrt(sum(w * w for w in top.values()))
    scored = []
    for candidate in candidates:
        ctf = counts.get(candidate.pk, Counter())
        vector = {t: ctf[t] * idf[t] for t in top if ctf.get(t)}
        other = {t: ctf[t] * idf.get(t, 1.0) for t in ctf}
        norm = math.sqrt(sum(w * w for w in other.values())) or 1.0
        cosine = sum(top[t] * vector[t] for t in vector) / (query_norm * norm)
        shared = len(own_tags & tags_of.get(candidate.pk, set()))
        score = cosine + TAG_BONUS * shared + (SECTION_BONUS if candidate.section_id == article.section_id else 0)
        scored.append((score, candidate.first_published_at, candidate.pk))
    scored.sort(reverse=True)
    return [pk for _, _, pk in scored[:STORED]]


NEIGHBOURS_REFRESHED = 3


def refresh_related(article_id: int, neighbours: bool = True) -> None:
    """Store an article's related list; also refresh its closest neighbours' lists, so a new article
    shows up under the older stories it belongs with."""
    from murasil.news.models import Article

    article = Article.objects.published().prefetch_related("tags").filter(pk=article_id).first()
    if article is None:
        return
    related = compute_related(article)
    Article.objects.filter(pk=article_id).update(related_ids=related)
    if neighbours:
        for pk in related[:NEIGHBOURS_REFRESHED]:
            refresh_related(pk, neighbours=False)
