"""Renditions for many photos in one query, so a page or feed costs the same with 1 photo or 50."""

from django.db.models import Prefetch, prefetch_related_objects

from wagtail.images import get_image_model

from .usage import body_image_ids


def with_renditions(images) -> None:
    """Load the renditions of `images` (Image instances, None skipped) in one query, for
    Wagtail's rendition look-ups (`prefetched_renditions`) to find them without a query each."""
    todo = [image for image in images if image is not None and not hasattr(image, "prefetched_renditions")]
    if todo:
        renditions = get_image_model().get_rendition_model().objects.all()
        prefetch_related_objects(todo, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions"))


def body_images(articles, *specs: str) -> dict:
    """{id: image} of every photo in the articles' bodies, renditions of `specs` (default all) included."""
    ids = set()
    for article in articles:
        ids |= body_image_ids(article.body)
    if not ids:
        return {}
    return get_image_model().objects.prefetch_renditions(*specs).in_bulk(ids)
