"""WordPress IDs ↔ Murasil objects, for the WordPress-compatible API and old links.

An imported object answers with its WordPress ID; an object made in Murasil answers with its own
primary key. Articles, reporters, tags, comments and images keep the WordPress ID as their primary key
(the importer moves each table's sequence past the imported IDs), so for them the two are one number
and new articles never collide with imported ones. Sections and static pages are Wagtail pages: their
WordPress IDs live only in WordPressObject.
"""

from .models import WordPressObject

Kind = WordPressObject.Kind


def wp_ids(kind: str, object_ids: list[int]) -> dict[int, int]:
    """{Murasil id: public (WordPress) id} for a batch of objects of one kind, in one query."""
    mapped = dict(WordPressObject.objects.filter(kind=kind, object_id__in=object_ids).values_list("object_id", "wp_id"))
    return {pk: mapped.get(pk, pk) for pk in object_ids}


def wp_id(kind: str, object_id: int) -> int:
    return wp_ids(kind, [object_id])[object_id]


def object_id(kind: str, public_id: int) -> int | None:
    """The Murasil id behind a public (WordPress) id; an unmapped id is the object's own pk."""
    found = WordPressObject.objects.filter(kind=kind, wp_id=public_id).values_list("object_id", flat=True).first()
    if found is not None:
        return found
    if WordPressObject.objects.filter(kind=kind, object_id=public_id).exclude(wp_id=public_id).exists():
        return None  # that pk belongs to an object known by another WordPress id
    return public_id


def object_ids(kind: str, public_ids: list[int]) -> list[int]:
    """Murasil ids for several public ids (for include/exclude/categories filters); unknown ones drop out."""
    return [pk for pk in (object_id(kind, i) for i in public_ids) if pk is not None]


def post_data(article_ids: list[int]) -> dict[int, dict]:
    """Extra WordPress facts kept for imported posts ({article id: data}): categories, sticky, format…"""
    return dict(
        WordPressObject.objects.filter(kind=Kind.POST, object_id__in=article_ids).values_list("object_id", "data")
    )
