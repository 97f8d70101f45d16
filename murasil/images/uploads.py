"""What a photo must be before it is stored, for the admin's uploads and the WordPress importer alike.

Wagtail's image field already refuses a file whose extension is not allowed (WAGTAILIMAGES_EXTENSIONS,
no SVG), whose content is another format than its name says, that is too large
(WAGTAILIMAGES_MAX_UPLOAD_SIZE) or has too many pixels (WAGTAILIMAGES_MAX_IMAGE_PIXELS). This module
adds what it does not do: Pillow's own verification of the whole file, and removing the location a
phone camera writes into a photo (EXIF GPS, XMP), from the stored original, so no rendition made from
it carries it either (Willow copies EXIF into renditions).
"""

import io
import struct

from django.conf import settings
from django.utils.translation import gettext as _

from PIL import Image

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "AVIF", "HEIF"})
GPS_IFD = 0x8825
XMP_JPEG_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
LOCATION_MARKERS = (b"GPSLatitude", b"GPSLongitude", b"GPSPosition", b"photoshop:City", b"LocationShown")


class UnsafeImage(ValueError):
    """The file is not an image Murasil stores; the message says why, in the editor's language."""


def max_pixels() -> int:
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def verify_image(data: bytes) -> str:
    """The Pillow format of `data`, or UnsafeImage: not a raster photo, broken, or a decompression bomb."""
    if len(data) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
        raise UnsafeImage(
            _("This file is larger than %(limit)d MB.") % {"limit": settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE // 2**20}
        )
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>", b"<!doc", b"<html"):
        raise UnsafeImage(_("SVG and other text files are not accepted as photos: upload a JPEG, PNG or WebP image."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            pixels = image.width * image.height * getattr(image, "n_frames", 1)
            if kind not in ACCEPTED_FORMATS:
                raise UnsafeImage(
                    _("This is a %(format)s file; photos must be JPEG, PNG, GIF, WebP or AVIF.") % {"format": kind}
                )
            if pixels > max_pixels():
                raise UnsafeImage(too_many_pixels())
            image.verify()
    except UnsafeImage:
        raise
    except Image.DecompressionBombError:
        raise UnsafeImage(too_many_pixels()) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken or non-image file
        raise UnsafeImage(_("This file is not a readable image, or it is damaged.")) from None
    return kind


def too_many_pixels() -> str:
    return _("This image has too many pixels to be processed safely (at most %(millions)d million).") % {
        "millions": max_pixels() // 1_000_000
    }


def has_location(data: bytes) -> bool:
    """True when the photo says where it was taken (EXIF GPS or an XMP location)."""
    with Image.open(io.BytesIO(data)) as image:
        if image.getexif().get_ifd(GPS_IFD) or GPS_IFD in image.getexif():
            return True
        xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode()
    return any(marker in xmp for marker in LOCATION_MARKERS) or (
        data[:2] == b"\xff\xd8" and any(marker in data[:262144] for marker in LOCATION_MARKERS)
    )


def strip_location(data: bytes) -> bytes:
    """The same photo without its location; unchanged bytes when it has none.

    JPEG is rewritten segment by segment, so the picture itself is not re-encoded; other formats
    (rare with a location) are saved again by Pillow without it.
    """
    if not has_location(data):
        return data
    if data[:2] == b"\xff\xd8":
        return _strip_jpeg(data)
    return _resave_without_location(data)


def _without_gps(exif: Image.Exif) -> bytes:
    exif.get_ifd(0x8769)  # load the Exif sub-IFD so tobytes() writes it back (camera, date taken)
    exif.pop(GPS_IFD, None)
    return exif.tobytes()


def _strip_jpeg(data: bytes) -> bytes:
    out = bytearray(data[:2])
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA or marker == 0xD9:  # start of scan: the rest is picture data
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segment = data[position : position + 2 + length]
        body = segment[4:]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            exif = Image.Exif()
            exif.load(body)
            new_body = _without_gps(exif)
            if not new_body.startswith(b"Exif\x00\x00"):
                new_body = b"Exif\x00\x00" + new_body
            segment = b"\xff\xe1" + struct.pack(">H", len(new_body) + 2) + new_body
        elif marker == 0xE1 and body.startswith(XMP_JPEG_HEADER) and any(m in body for m in LOCATION_MARKERS):
            segment = b""  # XMP with a location: dropped whole (captions live in Wagtail's fields)
        out += segment
        position += 2 + length
    out += data[position:]
    return bytes(out)


def _resave_without_location(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        exif = _without_gps(image.getexif())
        options: dict = {"format": kind, "exif": exif}
        if "icc_profile" in image.info:
            options["icc_profile"] = image.info["icc_profile"]
        if getattr(image, "n_frames", 1) > 1:
            options["save_all"] = True
        if kind in ("WEBP", "AVIF", "HEIF"):
            options["quality"] = 92
        output = io.BytesIO()
        image.save(output, **options)
    return output.getvalue()
