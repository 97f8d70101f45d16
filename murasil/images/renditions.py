"""Finding renditions for a reader's page without ever encoding one on the reader's time.

`existing()` looks renditions up the way Wagtail's `get_renditions()` does (prefetched list, then
the rendition cache, then one query) but does not create the missing ones unless
`MURASIL_RENDITIONS_ON_REQUEST` is on: it queues them for the background worker (tasks.py) and the
page shows the best file that already exists (another width or format, or the uploaded original).
A page rendered that way is marked incomplete (`incomplete_renders()`), so fragment caches keep it
only briefly.
"""

import contextvars
import logging
from collections import OrderedDict

from django.conf import settings
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from wagtail.images.models import Filter, SourceImageIOError

logger = logging.getLogger(__name__)

# Counts the missing renditions met while rendering; fragment caches read it (see fragments.py).
_missing_seen: contextvars.ContextVar[int] = contextvars.ContextVar("murasil_missing_renditions", default=0)


def incomplete_renders() -> int:
    return _missing_seen.get()


def _note_missing(count: int) -> None:
    _missing_seen.set(_missing_seen.get() + count)


class OriginalFile:
    """Stands in for a rendition that is not made yet: the uploaded file itself.

    `size` is what the page lays it out at (the size the missing rendition would have, so the layout
    is the same; the stylesheet crops with object-fit); by default the file's own size, which is what
    feeds and structured data must state.
    """

    filter_spec = "original"

    def __init__(self, image, size: tuple[int, int] | None = None):
        self.image = image
        self.width, self.height = size or (image.width, image.height)

    @property
    def url(self) -> str:
        return self.image.file.url

    @property
    def alt(self) -> str:
        return self.image.default_alt_text

    @property
    def attrs_dict(self) -> OrderedDict:
        return OrderedDict([("src", self.url), ("width", self.width), ("height", self.height), ("alt", self.alt)])

    def img_tag(self, extra_attributes: dict | None = None):
        attrs = self.attrs_dict.copy()
        attrs.update(extra_attributes or {})
        return mark_safe(f"<img{flatatt(attrs)}>")  # noqa: S308 - flatatt escapes every value


def existing(image, specs: list[str]) -> dict[str, object]:
    """{spec: rendition} for the specs that exist; the missing ones are queued (or made, when allowed)."""
    filters = [image.clean_filter_for_svg(Filter(spec=spec)) for spec in specs]
    found = image.find_existing_renditions(*filters)
    missing = [f for f in filters if f not in found]
    if missing:
        if settings.MURASIL_RENDITIONS_ON_REQUEST:
            try:
                found.update(image.create_renditions(*missing))
            except SourceImageIOError:
                logger.warning("Image %s: original file missing, renditions not made", image.pk)
        else:
            from .tasks import queue_renditions

            queue_renditions(image, [f.spec for f in missing], for_reader=True)
    still_missing = len([f for f in filters if f not in found])
    if still_missing:
        _note_missing(still_missing)
    _remember(image, found)
    return {f.spec: found[f] for f in filters if f in found}


def _remember(image, found: dict) -> None:
    """Write renditions read from the database into Wagtail's rendition cache, as get_renditions() does."""
    rendition_model = image.get_rendition_model()
    fresh = {
        rendition_model.construct_cache_key(image, f.get_cache_key(image), f.spec): rendition
        for f, rendition in found.items()
        if not getattr(rendition, "_from_cache", False) and getattr(rendition, "pk", None)
    }
    if fresh:
        rendition_model.cache_backend.set_many(fresh)


def one(image, spec: str):
    """One rendition for a page, a feed or structured data; the original while it is being made."""
    rendition = existing(image, [spec]).get(spec)
    return rendition if rendition is not None else OriginalFile(image)


def each(image, specs) -> list:
    """One rendition (or the original standing in) per spec, each file once."""
    found = existing(image, list(specs))
    chosen = [found.get(spec) or OriginalFile(image) for spec in specs]
    unique = {}
    for rendition in chosen:
        unique.setdefault(rendition.url, rendition)
    return list(unique.values())


def for_picture(image, widths: tuple[str, ...]) -> dict[str, object]:
    """The renditions a `<picture>` offers, keyed by spec, in the order Wagtail's Picture expects.

    A format with none of its widths made yet is left out (the browser takes the next); when even
    the fallback format has none, the original stands in for it. Widths that came out the same
    (a small original is never enlarged) are offered once, as srcset requires.
    """
    from .specs import fallback_format, picture_formats, picture_specs

    found = existing(image, picture_specs(image, widths))
    chosen: dict[str, object] = {}
    for fmt in picture_formats(image):
        seen_widths = set()
        for width in widths:
            rendition = found.get(f"{width}|format-{fmt}")
            if rendition is not None and rendition.width not in seen_widths:
                seen_widths.add(rendition.width)
                chosen[f"{width}|format-{fmt}"] = rendition
    fallback = fallback_format(image)
    if not any(spec.endswith(f"format-{fallback}") for spec in chosen):
        size = Filter(spec=widths[0]).get_transform(image).size if image.width else None
        chosen[f"original|format-{fallback}"] = OriginalFile(image, size)
    return chosen
