"""`murasil import_wordpress FILE.xml [--media DIR_OR_TAR] [--dry-run]`: move a WordPress site over."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from murasil.wordpress.importer import Importer, ImportError_
from murasil.wordpress.media import MediaError
from murasil.wordpress.wxr import WXRError

PHASES = {
    "scan": "Checking the file",
    "media": "Media",
    "items": "Posts and pages",
    "related": "Related articles",
    "renditions": "Photo sizes",
}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file from Tools › Export): "
        "posts, pages, sections, tags, authors, comments, media."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the WXR file WordPress's Tools › Export wrote")
        parser.add_argument("--media", help="the uploads folder (wp-content/uploads) or a .tar/.tar.gz of it")
        parser.add_argument("--dry-run", action="store_true", help="check and count everything, change nothing")
        parser.add_argument(
            "--permalink-structure",
            help='the old site\'s permalinks, e.g. "/%%year%%/%%postname%%/" (default: read from the export)',
        )
        parser.add_argument(
            "--no-related",
            action="store_true",
            help="leave related-article lists for `murasil update_index` (faster for very large exports)",
        )
        parser.add_argument(
            "--no-renditions",
            action="store_true",
            help="queue the photos' renditions for the background worker instead of making them now",
        )
        parser.add_argument("--restart", action="store_true", help="ignore the checkpoint of an interrupted run")

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        started = time.monotonic()
        last = {"phase": None}

        def progress(phase: str, done: int, total: int) -> None:
            if quiet or not sys.stderr.isatty() and done < total:
                return
            if last["phase"] not in (None, phase):
                sys.stderr.write("\n")
            last["phase"] = phase
            width = 30
            filled = width * done // max(total, 1)
            label = PHASES.get(phase, phase)
            count = f"{done // 2**20}/{total // 2**20} MB" if phase == "scan" else f"{done}/{total}"
            sys.stderr.write(f"\r{label:<18} [{'#' * filled}{'.' * (width - filled)}] {count}")
            sys.stderr.flush()

        try:
            importer = Importer(
                options["file"],
                media=options["media"],
                dry_run=options["dry_run"],
                permalink_structure=options["permalink_structure"],
                restart=options["restart"],
                related=not options["no_related"],
                renditions=not options["no_renditions"],
                progress=progress,
            )
            summary = importer.run()
        except (WXRError, ImportError_, MediaError) as error:
            if not quiet:
                sys.stderr.write("\n")
            raise CommandError(f"{options['file']}: {error}. Nothing from this run was kept.") from None
        if not quiet:
            sys.stderr.write("\n")
            elapsed = time.monotonic() - started
            scan = importer.scan_result
            title = "Dry run — nothing was changed" if options["dry_run"] else "Imported"
            self.stdout.write(f"{title}: {options['file']} ({scan.items} items in {elapsed:.1f} s)\n")
            self.stdout.write(summary.table())
