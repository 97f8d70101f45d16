"""Making renditions ahead of readers: on upload, on publish, in bulk, and in the background.

Encoding is slow (AVIF takes up to seconds for a large photo), so it never happens in a reader's or
an editor's request: `queue_renditions()` hands the work to a django-tasks task once the transaction
commits. The `renditions` task backend is django-tasks-db's database queue (settings.TASKS), worked
by the worker process `murasil serve` starts, or `murasil db_worker --backend renditions
--queue-name renditions` on a machine of its own. Wagtail's own tasks keep the default backend.
"""

import contextvars
import hashlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.images.models import Filter, SourceImageIOError

from django_tasks import task

from .specs import DEFAULT_ROLES, role_specs

logger = logging.getLogger(__name__)

BACKEND = "renditions"
QUEUE = "renditions"
# A rendition asked for by many readers at once is queued once; after this long it may be queued again
# (say, if the worker was down).
QUEUED_FOR = 600  # seconds


def make(image, specs: Iterable[str]) -> int:
    """Create the renditions of `specs` that `image` does not have yet; return how many were made."""
    filters = list(dict.fromkeys(image.clean_filter_for_svg(Filter(spec=spec)) for spec in specs))
    found = image.find_existing_renditions(*filters)
    missing = [f for f in filters if f not in found]
    if not missing:
        return 0
    try:
        # get_renditions() makes the missing ones in Wagtail's thread pool and fills the rendition cache.
        image.get_renditions(*[f.spec for f in filters])
    except SourceImageIOError:
        logger.warning("Image %s: the original file is missing; no renditions made", image.pk)
        return 0
    return len(missing)


def make_for_roles(image, roles: Iterable[str] = DEFAULT_ROLES) -> int:
    return make(image, role_specs(image, roles))


@task(backend=BACKEND, queue_name=QUEUE)
def make_renditions_task(image_id: int, specs: list[str], by_usage: bool = False) -> int:
    """Make `specs`; with by_usage, also everything the photo's current uses need (usage.py)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted since
        return 0
    if by_usage:
        from .usage import roles_by_image

        specs = [*specs, *role_specs(image, sorted(roles_by_image([image_id]).get(image_id) or DEFAULT_ROLES))]
    return make(image, specs)


def _enqueue(image_id: int, specs: list[str], key: str, by_usage: bool = False) -> None:
    if not cache.add(key, 1, QUEUED_FOR):
        return
    try:
        make_renditions_task.enqueue(image_id, specs, by_usage)
    except Exception:
        cache.delete(key)
        logger.exception("Could not queue renditions for image %s", image_id)


_not_queued: contextvars.ContextVar[bool] = contextvars.ContextVar("murasil_renditions_not_queued", default=False)


@contextmanager
def made_here() -> Iterator[None]:
    """For bulk writers that make the renditions themselves afterwards (demo builder, importer)."""
    token = _not_queued.set(True)
    try:
        yield
    finally:
        _not_queued.reset(token)


def queue_renditions(image, specs: list[str], *, for_reader: bool = False) -> None:
    """Make `specs` for `image` in the background, once the current transaction has committed.

    for_reader: a page met them missing. Then the photo is queued once (whatever the page asked
    for first), and the task makes everything the photo's uses need, so the page's other missing
    sizes and files come with it.
    """
    if not specs or not image.pk or _not_queued.get():
        return
    digest = (
        "page"
        if for_reader
        else hashlib.sha1("\n".join(sorted(specs)).encode(), usedforsecurity=False).hexdigest()[:16]
    )
    focus = f"{image.focal_point_x}-{image.focal_point_y}-{image.focal_point_width}-{image.focal_point_height}"
    key = f"murasil:renditions:queued:{image.pk}:{image.file_hash}:{focus}:{digest}"
    image_id, wanted = image.pk, list(specs)
    transaction.on_commit(lambda: _enqueue(image_id, wanted, key, by_usage=for_reader))


def queue_roles(image, roles: Iterable[str]) -> None:
    queue_renditions(image, role_specs(image, roles))
