"""Renditions for many photos at once: `murasil make_renditions`, the demo builder, the importer."""

from collections.abc import Callable, Iterable

from wagtail.images import get_image_model

from .specs import DEFAULT_ROLES, role_specs
from .tasks import make, queue_renditions
from .usage import roles_by_image


def make_all(
    image_ids: Iterable[int] | None = None,
    *,
    queue: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
) -> tuple[int, int]:
    """Make (or with queue=True, queue) every missing rendition of the given photos (default: all).

    Each photo gets what its uses need (usage.py); a photo used nowhere yet gets the upload set.
    Returns (photos looked at, renditions made or queued). `progress(done, total, made)` is called
    after each photo.
    """
    wanted = list(image_ids) if image_ids is not None else None
    roles = roles_by_image(wanted)
    images = get_image_model().objects.order_by("pk")
    if wanted is not None:
        images = images.filter(pk__in=wanted)
    images = images.prefetch_renditions()
    total = images.count()
    made = 0
    for done, image in enumerate(images.iterator(chunk_size=200), 1):
        specs = role_specs(image, sorted(roles.get(image.pk) or DEFAULT_ROLES))
        if queue:
            existing = {r.filter_spec for r in image.prefetched_renditions}
            missing = [spec for spec in specs if spec not in existing]
            queue_renditions(image, missing)
            made += len(missing)
        else:
            made += make(image, specs)
        if progress:
            progress(done, total, made)
    return total, made
