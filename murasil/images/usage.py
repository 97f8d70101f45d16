"""Which part each photo plays on the site, for making exactly the renditions it needs."""

from collections import defaultdict
from collections.abc import Iterable


def body_image_ids(body) -> set[int]:
    """Image ids in a StreamField body (a StreamValue or its raw list), without loading the images."""
    raw = body.raw_data if hasattr(body, "raw_data") else body or []
    ids = set()
    for block in raw:
        value = block.get("value") if isinstance(block, dict) else None
        if block.get("type") == "image" and isinstance(value, dict) and isinstance(value.get("image"), int):
            ids.add(value["image"])
    return ids


def roles_by_image(image_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """{image id: roles} for the images articles, reporters and the site settings use.

    Every article counts, drafts included (they are about to be published). Bodies are read in
    chunks of raw JSON; a photo used nowhere gets no entry.
    """
    from murasil.core.models import NewsroomSettings
    from murasil.news.models import Article, Reporter

    wanted = set(image_ids) if image_ids is not None else None
    roles: dict[int, set[str]] = defaultdict(set)

    def add(image_id, role):
        if image_id and (wanted is None or image_id in wanted):
            roles[image_id].add(role)

    featured = Article.objects.exclude(featured_image=None)
    if wanted is not None:
        featured = featured.filter(featured_image__in=wanted)
    for image_id in featured.values_list("featured_image", flat=True).distinct():
        add(image_id, "featured")
    for body in Article.objects.values_list("body", flat=True).iterator(chunk_size=2000):
        for image_id in body_image_ids(body):
            add(image_id, "body")
    for image_id in Reporter.objects.exclude(photo=None).values_list("photo", flat=True):
        add(image_id, "reporter")
    for conf in NewsroomSettings.objects.all():
        add(conf.share_image_id, "share")
        add(conf.logo_id, "logo")
    return dict(roles)
