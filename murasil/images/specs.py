"""Every rendition a reader surface uses, in one place: templates, feeds, structured data and the
generation on upload/publish all read these, so what is made ahead is exactly what pages ask for.

A photo plays one or more *roles* (featured photo of an article, photo in a body, reporter portrait,
the outlet's share image or logo). Each role names the renditions it needs: the responsive widths
of a `<picture>` in every web format (AVIF when Pillow can write it, WebP, then a JPEG or PNG
fallback) and the single JPEG/PNG files that feeds, share cards and JSON-LD embed.

Widths follow the layout in static/murasil/css/site.css, phone first: a phone is 360–430 CSS px
wide at 2–3 device pixels per CSS pixel, so a full-width photo wants 720–1290 device px; desktop
columns are at most 47.5rem (the article) or about 17rem (a card).
"""

from dataclasses import dataclass, field
from functools import cache

# One 16:9 crop at three widths: cards, the home page lead and the article's featured photo share it,
# so a photo on the front page and on its article costs the same files.
LANDSCAPE = ("fill-480x270", "fill-800x450", "fill-1200x675")
# Photos in the body keep their own shape.
BODY = ("width-480", "width-800", "width-1200")
# Reporter portraits are drawn 6rem (96 CSS px) wide: 1x, 2x, 3x.
PORTRAIT = ("fill-96x96", "fill-192x192", "fill-288x288")

# Single files for consumers that take one address (social cards, search engines, feed readers).
OG_IMAGE = "fill-1200x630|format-jpeg"
# Google asks for 16:9, 4:3 and 1:1 article images, at least 1200 px wide where the original allows.
ARTICLE_IMAGES = ("fill-1200x675|format-jpeg", "fill-1200x900|format-jpeg", "fill-1200x1200|format-jpeg")
SHARE_IMAGE = "fill-1200x675|format-jpeg"
FEED_PHOTO = "fill-1200x675|format-jpeg"
FEED_BODY_PHOTO = "width-800|format-jpeg"
PROFILE_IMAGE = "fill-400x400|format-jpeg"
LOGO = "max-600x60|format-png"

FULL_WIDTH = "(min-width: 48rem) 47.5rem, calc(100vw - 2rem)"


@dataclass(frozen=True)
class Placement:
    """Where a photo sits on a page: its widths, the `sizes` that match the layout, loading hints."""

    widths: tuple[str, ...]
    sizes: str
    # Below the fold by default: the browser loads it when the reader scrolls near it.
    attrs: dict = field(default_factory=lambda: {"loading": "lazy", "decoding": "async"})


# The lead image of a page (the one a reader sees first): fetched at once and before other images.
LEAD_ATTRS = {"loading": "eager", "fetchpriority": "high"}

PLACEMENTS: dict[str, Placement] = {
    # Grid cards: one column on a phone, two from 32rem, three or four side by side from 48rem.
    "card": Placement(
        LANDSCAPE, "(min-width: 72rem) 17rem, (min-width: 48rem) 33vw, (min-width: 32rem) 50vw, calc(100vw - 2rem)"
    ),
    # Archive lists: the photo beside the text in a 16rem column from 48rem, full width on a phone.
    "card_list": Placement(LANDSCAPE, "(min-width: 48rem) 16rem, calc(100vw - 2rem)"),
    # The home page lead: two thirds of the page from 48rem.
    "card_lead": Placement(
        LANDSCAPE, "(min-width: 72rem) 46rem, (min-width: 48rem) 64vw, calc(100vw - 2rem)", LEAD_ATTRS
    ),
    # Related articles: a grid inside the 47.5rem article column.
    "related": Placement(LANDSCAPE, "(min-width: 48rem) 15rem, (min-width: 32rem) 50vw, calc(100vw - 2rem)"),
    "article_lead": Placement(LANDSCAPE, FULL_WIDTH, LEAD_ATTRS),
    "body": Placement(BODY, FULL_WIDTH),
    # Above the fold on the reporter's page, and small.
    "reporter": Placement(PORTRAIT, "6rem", {"loading": "eager"}),
}


@cache
def avif_available() -> bool:
    """Pillow built with libavif can write AVIF; without it pages offer WebP and the fallback only."""
    from PIL import features

    return bool(features.check("avif"))


def web_formats() -> tuple[str, ...]:
    from django.conf import settings

    return ("avif", "webp") if settings.MURASIL_AVIF and avif_available() else ("webp",)


def fallback_format(image) -> str:
    """The format every browser shows: PNG for drawings that may be transparent, JPEG for photos."""
    return "png" if image.file.name.lower().endswith((".png", ".gif")) else "jpeg"


def picture_formats(image) -> tuple[str, ...]:
    return (*web_formats(), fallback_format(image))


def picture_specs(image, widths: tuple[str, ...]) -> list[str]:
    return [f"{width}|format-{fmt}" for fmt in picture_formats(image) for width in widths]


# What a photo needs for each part it plays.
ROLE_WIDTHS = {"featured": LANDSCAPE, "body": BODY, "reporter": PORTRAIT}
ROLE_FILES = {
    "featured": (OG_IMAGE, *ARTICLE_IMAGES, FEED_PHOTO),
    "body": (FEED_BODY_PHOTO,),
    "reporter": (PROFILE_IMAGE,),
    "share": (SHARE_IMAGE, OG_IMAGE),
    "logo": (LOGO,),
}
ROLES = tuple(ROLE_FILES)
# A new upload is most often an article's photo: its featured set is made at once.
DEFAULT_ROLES = ("featured",)


def role_specs(image, roles) -> list[str]:
    """The filter specs `image` needs for `roles`, without duplicates, in a stable order."""
    specs: dict[str, None] = {}
    for role in roles:
        if role in ROLE_WIDTHS:
            specs.update(dict.fromkeys(picture_specs(image, ROLE_WIDTHS[role])))
        specs.update(dict.fromkeys(ROLE_FILES[role]))
    return list(specs)
