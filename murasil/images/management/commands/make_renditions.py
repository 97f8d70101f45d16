"""`murasil make_renditions [--image ID …] [--queue]`: make every rendition reader pages need, ahead of readers."""

import sys

from django.core.management.base import BaseCommand, CommandError

from wagtail.images import get_image_model

from murasil.images.backfill import make_all


class Command(BaseCommand):
    help = (
        "Make the missing renditions (AVIF, WebP, JPEG/PNG at every width pages use) of all photos, "
        "or of the given ones. Safe to run again: existing renditions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--image", type=int, action="append", dest="images", metavar="ID", help="only this photo")
        parser.add_argument("--queue", action="store_true", help="hand the work to the background worker instead")

    def handle(self, *args, **options):
        ids = options["images"]
        if ids:
            found = set(get_image_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = sorted(set(ids) - found)
            if unknown:
                raise CommandError(f"No photo with id {', '.join(map(str, unknown))}.")
        quiet = options["verbosity"] == 0
        tty = sys.stderr.isatty()

        def progress(done: int, total: int, made: int) -> None:
            if not quiet and (tty or done == total):
                sys.stderr.write(f"\rPhotos {done}/{total}, renditions {made}")
                if done == total:
                    sys.stderr.write("\n")

        total, made = make_all(ids, queue=options["queue"], progress=progress)
        if not quiet:
            verb = "queued" if options["queue"] else "made"
            self.stdout.write(f"{total} photos looked at, {made} renditions {verb}.")
