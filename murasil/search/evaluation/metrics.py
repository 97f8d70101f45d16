"""Search quality on the evaluation set (queries.json, judged by meaning over the demo newsroom)."""

import json
import math
from pathlib import Path

QUERIES = Path(__file__).with_name("queries.json")


def load() -> dict:
    return json.loads(QUERIES.read_text(encoding="utf-8"))


def dcg(gains: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg([relevant.get(slug, 0) for slug in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 10) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    for position, slug in enumerate(ranked, start=1):
        if slug in relevant:
            return 1 / position
    return 0.0


def evaluate(run) -> dict:
    """`run(query) -> ranked slugs`. Returns the averages and the per-query figures."""
    data = load()["queries"]
    rows = []
    for item in data:
        ranked = run(item["query"])
        rows.append(
            {
                "id": item["id"],
                "query": item["query"],
                "ndcg": ndcg_at(ranked, item["relevant"]),
                "recall": recall_at(ranked, item["relevant"]),
                "rr": reciprocal_rank(ranked, item["relevant"]),
                "results": len(ranked),
                "ranked": ranked,
            }
        )
    count = len(rows)
    return {
        "ndcg@10": sum(r["ndcg"] for r in rows) / count,
        "recall@10": sum(r["recall"] for r in rows) / count,
        "mrr": sum(r["rr"] for r in rows) / count,
        "zero_results": sum(1 for r in rows if r["results"] == 0),
        "queries": count,
        "rows": rows,
    }


def murasil_run(query: str) -> list[str]:
    from murasil.news.models import Article
    from murasil.search.index import search

    ids = search(query).ids
    slugs = dict(Article.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return [slugs[i] for i in ids]


_LIKE_TEXTS: list[tuple[str, str]] = []


def like_run(query: str) -> list[str]:
    """WordPress's search: every word a substring (case-insensitive) of title, excerpt or content,
    newest first. Done in Python over the readable text so both databases behave the same (StreamField
    JSON is stored escaped on SQLite, where a SQL LIKE would never see the Arabic body)."""
    from murasil.news.models import Article

    if not _LIKE_TEXTS:
        for article in Article.objects.published().order_by("-first_published_at", "-id"):
            text = f"{article.title}\n{article.standfirst}\n{article.body_text()}".lower()
            _LIKE_TEXTS.append((article.slug, text))
    words = [w.lower() for w in query.replace('"', " ").split()]
    return [slug for slug, text in _LIKE_TEXTS if all(word in text for word in words)]


def evaluate_related(k: int = 5) -> dict:
    """nDCG@k of the stored related lists against the related-article judgments."""
    from murasil.news.models import Article

    rows = []
    slugs = dict(Article.objects.values_list("pk", "slug"))
    for item in load()["related"]:
        article = Article.objects.get(slug=item["article"])
        ranked = [slugs[pk] for pk in article.related_ids if pk in slugs]
        rows.append({"article": item["article"], "ndcg": ndcg_at(ranked, item["relevant"], k), "ranked": ranked})
    return {f"ndcg@{k}": sum(r["ndcg"] for r in rows) / len(rows), "judgments": len(rows), "rows": rows}
