"""Uploads: photos only, checked by content, size and pixel limits, SVG refused, location removed."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.utils import translation

from wagtail.images import get_image_model

from PIL import Image

from murasil.images.uploads import GPS_IFD, UnsafeImage, has_location, strip_location, verify_image

# Where a phone would say the photo was taken: 33°18'N 44°22'E (Baghdad), as EXIF rationals.
GPS = {1: "N", 2: (33.0, 18.0, 0.0), 3: "E", 4: (44.0, 22.0, 0.0)}


def photo(kind: str = "JPEG", size=(64, 48), gps: bool = True) -> bytes:
    image = Image.new("RGB", size, (180, 90, 40))
    for x in range(0, size[0], 4):
        image.putpixel((x, x % size[1]), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "كاميرا الهاتف"  # Make
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(0x8769)[0x9003] = "2026:03:14 09:30:00"  # DateTimeOriginal
    if gps:
        exif.get_ifd(GPS_IFD).update(GPS)
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes(), **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


class TestStripLocation(TestCase):
    def test_jpeg_loses_its_gps_and_keeps_the_rest_without_reencoding(self):
        original = photo("JPEG")
        self.assertTrue(has_location(original))
        cleaned = strip_location(original)
        self.assertFalse(has_location(cleaned))
        with Image.open(io.BytesIO(cleaned)) as image:
            exif = image.getexif()
            self.assertNotIn(GPS_IFD, exif)
            self.assertEqual(exif[0x0112], 1)
            self.assertEqual(exif.get_ifd(0x8769)[0x9003], "2026:03:14 09:30:00")
        self.assertEqual(pixels(cleaned), pixels(original))  # the same decoded picture, bit for bit
        # Only the metadata segment changed: the compressed picture data is the same bytes.
        self.assertEqual(cleaned[cleaned.index(b"\xff\xda") :], original[original.index(b"\xff\xda") :])

    def test_png_and_webp_lose_it_too(self):
        for kind in ("PNG", "WEBP"):
            with self.subTest(kind=kind):
                original = photo(kind)
                self.assertTrue(has_location(original))
                cleaned = strip_location(original)
                self.assertFalse(has_location(cleaned))
                with Image.open(io.BytesIO(cleaned)) as image:
                    self.assertEqual(image.format, kind)

    def test_a_photo_without_a_location_is_stored_as_it_came(self):
        original = photo("JPEG", gps=False)
        self.assertIs(strip_location(original), original)

    def test_xmp_location_is_removed(self):
        original = photo("JPEG", gps=False)
        xmp = (
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="33,18N"'
            b' exif:GPSLongitude="44,22E"/></rdf:RDF></x:xmpmeta>'
        )
        segment = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
        tagged = original[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + original[2:]
        self.assertTrue(has_location(tagged))
        cleaned = strip_location(tagged)
        self.assertNotIn(b"GPSLatitude", cleaned)
        self.assertEqual(pixels(cleaned), pixels(original))


class TestVerify(TestCase):
    def test_refusals(self):
        bomb = io.BytesIO()
        Image.new("1", (9000, 9000)).save(bomb, "PNG")  # 81 million pixels in a few kilobytes
        truncated = photo("JPEG")[:300]
        bmp = io.BytesIO()
        Image.new("RGB", (8, 8)).save(bmp, "BMP")
        cases = {
            "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            "xml svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "html": b"<!DOCTYPE html><script>alert(1)</script>",
            "script named .jpg": b"alert(document.cookie)",
            "truncated": truncated,
            "bomb": bomb.getvalue(),
            "bmp": bmp.getvalue(),
        }
        for name, data in cases.items():
            with self.subTest(name), self.assertRaises(UnsafeImage):
                verify_image(data)
        self.assertEqual(verify_image(photo("PNG")), "PNG")

    @override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000)
    def test_size_limit(self):
        with self.assertRaises(UnsafeImage):
            verify_image(photo("PNG", size=(200, 200)))


class TestAdminUpload(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("nada", "nada@example.com", "كلمة-سر-طويلة-2026")

    def setUp(self):
        self.client.force_login(self.editor)

    def upload(self, name: str, data: bytes, content_type: str = "image/jpeg"):
        with translation.override("ar"):
            return self.client.post(
                "/admin/images/add/",
                {"title": "صورة من الميدان", "file": SimpleUploadedFile(name, data, content_type=content_type)},
                HTTP_ACCEPT_LANGUAGE="ar",
            )

    def test_the_stored_original_has_no_location(self):
        response = self.upload("field.jpg", photo("JPEG"))
        self.assertEqual(response.status_code, 302, response.content[-2000:])
        image = get_image_model().objects.get(title="صورة من الميدان")
        with image.open_file() as handle:
            stored = handle.read()
        self.assertFalse(has_location(stored))
        self.assertEqual(image.file_size, len(stored))
        rendition = image.get_rendition("width-32")
        with rendition.file.open("rb") as handle:
            self.assertFalse(has_location(handle.read()))

    def test_svg_and_disguised_files_are_refused_in_arabic(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for name, data, kind in (
            ("logo.svg", svg, "image/svg+xml"),
            ("photo.jpg", svg, "image/jpeg"),
            ("photo.png", photo("JPEG"), "image/png"),  # a JPEG named .png: the content decides
            ("photo.jpg", photo("JPEG")[:400], "image/jpeg"),  # truncated
        ):
            with self.subTest(name=name, size=len(data)):
                response = self.upload(name, data, kind)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors["file"]
                self.assertTrue(errors)
                self.assertRegex(" ".join(errors), "[\u0600-\u06ff]")  # the explanation is in Arabic
        self.assertFalse(get_image_model().objects.exists())

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=10_000)
    def test_too_many_pixels_is_refused(self):
        response = self.upload("wide.png", photo("PNG", size=(200, 100)), "image/png")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertFalse(get_image_model().objects.exists())


class TestWordPressImport(TestCase):
    def test_imported_photos_get_the_same_checks(self):
        from murasil.wordpress.media import MediaError, create_image

        image = create_image(photo("JPEG"), "2025/03/river.jpg", "النهر عند الفجر", "قارب على النهر", None)
        with image.open_file() as handle:
            self.assertFalse(has_location(handle.read()))
        with self.assertRaises(MediaError):
            create_image(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "2025/03/logo.jpg", "شعار", "", None)
        self.assertEqual(get_image_model().objects.count(), 1)


class TestCleaningOlderPhotos(TestCase):
    def test_the_command_cleans_originals_and_renditions_stored_before(self):
        from io import StringIO

        from django.core.files.images import ImageFile
        from django.core.management import call_command

        from wagtail.models import Collection

        # Stored directly, as an older version of Murasil did: the location is still in the file.
        image = get_image_model()(title="صورة قديمة", collection=Collection.get_first_root_node())
        image.file = ImageFile(io.BytesIO(photo("JPEG")), name="old.jpg")
        image.save()
        clean = get_image_model()(title="صورة بلا موقع", collection=Collection.get_first_root_node())
        clean.file = ImageFile(io.BytesIO(photo("JPEG", gps=False)), name="clean.jpg")
        clean.save()
        with image.get_rendition("width-32").file.open("rb") as handle:
            self.assertTrue(has_location(handle.read()))
        clean_name = clean.file.name

        out = StringIO()
        call_command("strip_photo_locations", "--dry-run", stdout=out)
        self.assertIn("1 photos carry a location", out.getvalue())
        call_command("strip_photo_locations", stdout=out)
        self.assertIn("1 cleaned", out.getvalue())

        image.refresh_from_db()
        with image.open_file() as handle:
            stored = handle.read()
        self.assertFalse(has_location(stored))
        self.assertEqual(image.file_size, len(stored))
        with image.get_rendition("width-32").file.open("rb") as handle:
            self.assertFalse(has_location(handle.read()))
        clean.refresh_from_db()
        self.assertEqual(clean.file.name, clean_name)  # untouched
        out = StringIO()
        call_command("strip_photo_locations", stdout=out)
        self.assertIn("0 photos carried a location", out.getvalue())
