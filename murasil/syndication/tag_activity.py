"""Keeping `TagActivity` (each tag's newest published article) in step, one tag or all at once."""

from collections.abc import Iterable

from django.db.models import F, Max, Q, Window
from django.db.models.functions import RowNumber

from murasil.news.models import Article, ArticleTag

from .models import TagActivity


def refresh(tag_ids: Iterable[int]) -> None:
    """Recompute the rows of `tag_ids` from the articles. The newest time is an aggregate over the
    tag's own taggings (so the cost is the tag's size, never the archive's: "ORDER BY time LIMIT 1"
    lets PostgreSQL walk the whole archive index for a rare tag), then its article is one index hit."""
    for tag_id in set(tag_ids):
        articles = Article.objects.published().filter(tagged_items__tag_id=tag_id)
        when = articles.aggregate(newest=Max("first_published_at"))["newest"]
        article_id = (
            articles.filter(first_published_at=when).order_by("-id").values_list("id", flat=True).first()
            if when
            else None
        )
        if article_id is None:
            TagActivity.objects.filter(tag_id=tag_id).delete()
        else:
            TagActivity.objects.update_or_create(
                tag_id=tag_id, defaults={"article_id": article_id, "published_at": when}
            )


def article_changed(article_id: int) -> None:
    """After `article_id` was published, unpublished, deleted or retagged. The rows that named it and
    no longer may (it was withdrawn, or lost the tag) are recomputed; if it is published, each of its
    tags' rows is raised to it when it is newer (a conditional UPDATE, so two publishes at once cannot
    lower a row)."""
    article = Article.objects.published().filter(pk=article_id).values("first_published_at").first()
    tag_ids = set(ArticleTag.objects.filter(content_object_id=article_id).values_list("tag_id", flat=True))
    named = set(TagActivity.objects.filter(article_id=article_id).values_list("tag_id", flat=True))
    orphaned = set(TagActivity.objects.filter(tag_id__in=tag_ids, article_id=None).values_list("tag_id", flat=True))
    if article is None:
        refresh(named | orphaned)
        return
    refresh((named - tag_ids) | orphaned)
    for tag_id in tag_ids - orphaned:
        _raise(tag_id, article_id, article["first_published_at"])


def tagging_added(tag_id: int, article_id: int) -> None:
    """A tagging was saved: if its article is published, the tag's row is raised to it when newer."""
    when = Article.objects.published().filter(pk=article_id).values_list("first_published_at", flat=True).first()
    if when is not None:
        _raise(tag_id, article_id, when)


def tagging_removed(tag_id: int, article_id: int) -> None:
    """A tagging was deleted (or its article is being deleted): recompute the row if it named it.
    (When an article is deleted, Django empties `TagActivity.article` before deleting the taggings.)"""
    if TagActivity.objects.filter(Q(article_id=article_id) | Q(article_id=None), tag_id=tag_id).exists():
        refresh([tag_id])


def _raise(tag_id: int, article_id: int, when) -> None:
    # A conditional UPDATE, so that two publishes at once can never lower a row.
    older = Q(published_at__lt=when) | Q(published_at=when, article_id__lt=article_id)
    if TagActivity.objects.filter(older, tag_id=tag_id).update(article_id=article_id, published_at=when):
        return
    if not TagActivity.objects.filter(tag_id=tag_id).exists():
        TagActivity.objects.bulk_create(
            [TagActivity(tag_id=tag_id, article_id=article_id, published_at=when)], ignore_conflicts=True
        )


def rebuild() -> int:
    """Every row from scratch, in one query (a window over the published taggings); returns the count.
    For migrations and bulk imports, which write articles without sending signals."""
    newest = (
        ArticleTag.objects.filter(content_object__in=Article.objects.published())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("tag_id"),
                order_by=[F("content_object__first_published_at").desc(), F("content_object_id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("tag_id", "content_object_id", "content_object__first_published_at")
    )
    rows = [TagActivity(tag_id=tag, article_id=article, published_at=when) for tag, article, when in newest]
    TagActivity.objects.all().delete()
    TagActivity.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
