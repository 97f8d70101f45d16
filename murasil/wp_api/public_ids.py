"""Public (WordPress) ids for batches of objects of several kinds, in one query.

The rule: an imported object answers with its WordPress id (murasil.wordpress.models.WordPressObject),
anything else with its own pk. Articles, reporters, tags, comments and images keep their WordPress id
as their pk (the importer moves each sequence past the imported ids), so for them both are one number.
This module applies the rule to a whole response at once, so a list of 100 posts costs the same few
queries as a list of one.
"""

from collections import defaultdict

from django.db.models import Q

from murasil.wordpress.models import WordPressObject

Kind = WordPressObject.Kind


class PublicIds:
    """Collect (kind, Murasil id) pairs, resolve them in one query, then look them up."""

    def __init__(self) -> None:
        self._wanted: dict[str, set[int]] = defaultdict(set)
        self._found: dict[str, dict[int, int]] = defaultdict(dict)
        self.post_data: dict[int, dict] = {}

    def want(self, kind: str, object_ids) -> None:
        self._wanted[kind].update(pk for pk in object_ids if pk)

    def resolve(self) -> "PublicIds":
        condition = Q()
        for kind, pks in self._wanted.items():
            if pks:
                condition |= Q(kind=kind, object_id__in=pks)
        if condition:
            rows = WordPressObject.objects.filter(condition).values_list("kind", "object_id", "wp_id", "data")
            for kind, pk, wp_id, data in rows:
                self._found[kind][pk] = wp_id
                if kind == Kind.POST:
                    self.post_data[pk] = data or {}
        self._wanted.clear()
        return self

    def get(self, kind: str, pk: int | None) -> int:
        if not pk:
            return 0
        return self._found[kind].get(pk, pk)


def to_object_ids(kind: str, public_ids: list[int]) -> list[int]:
    """Murasil ids behind public ids (two queries for any number); unknown or shadowed ids drop out.

    A mapped WordPress id wins; a bare number is the object's own pk unless that pk is known by
    another WordPress id.
    """
    if not public_ids:
        return []
    mapped = dict(WordPressObject.objects.filter(kind=kind, wp_id__in=public_ids).values_list("wp_id", "object_id"))
    shadowed = {
        pk
        for pk, wp_id in WordPressObject.objects.filter(kind=kind, object_id__in=public_ids).values_list(
            "object_id", "wp_id"
        )
        if pk != wp_id
    }
    result = []
    for public_id in public_ids:
        if public_id in mapped:
            result.append(mapped[public_id])
        elif public_id not in shadowed:
            result.append(public_id)
    return result
