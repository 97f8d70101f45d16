"""`murasil strip_photo_locations [--dry-run]`: remove the location from photos stored before uploads did it."""

import io
import posixpath

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand

from wagtail.images import get_image_model

from murasil.images.uploads import has_location, strip_location


class Command(BaseCommand):
    help = (
        "Remove EXIF GPS and XMP location data from stored photo originals that still carry it, and drop "
        "their renditions so they are made again from the clean original. Uploads since this version are "
        "cleaned as they arrive; this is for older ones. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count the photos that carry a location")

    def handle(self, *args, **options):
        found = cleaned = unreadable = 0
        for image in get_image_model().objects.order_by("pk").iterator():
            try:
                with image.open_file() as handle:
                    data = handle.read()
                located = has_location(data)
            except Exception:  # noqa: BLE001 - a missing or broken file is reported, not fatal
                unreadable += 1
                continue
            if not located:
                continue
            found += 1
            if options["dry_run"]:
                continue
            self._replace(image, strip_location(data))
            cleaned += 1
        if options["verbosity"]:
            if options["dry_run"]:
                self.stdout.write(f"{found} photos carry a location (dry run: nothing changed).")
            else:
                self.stdout.write(f"{found} photos carried a location; {cleaned} cleaned.")
            if unreadable:
                self.stdout.write(f"{unreadable} photos could not be read (missing or damaged files).")

    @staticmethod
    def _replace(image, data: bytes) -> None:
        old_name = image.file.name
        storage = image.file.storage
        size = image.width, image.height  # the picture is the same: only metadata went
        image.file.save(posixpath.basename(old_name), ImageFile(io.BytesIO(data)), save=False)
        image.width, image.height = size
        image.file_size = len(data)
        image._set_file_hash()  # Wagtail's duplicate detection compares this hash
        # Renditions carry the location too (Willow copies EXIF); deleting them deletes their files,
        # and saving the image queues new ones from the clean original (murasil/images/signal_handlers.py).
        image.renditions.all().delete()
        image.save()
        storage.delete(old_name)
