"""`murasil import_wordpress FILE.xml [--media DIR_OR_TAR] [--dry-run]`: move a WordPress site over."""

import errno
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from murasil.wordpress.importer import Importer, ImportError_
from murasil.wordpress.media import MediaError
from murasil.wordpress.wxr import WXRError

DISK_FULL_STATE = "53100"  # PostgreSQL's disk_full


def write_failure(error: OSError | DatabaseError) -> str:
    """What went wrong, in plain words: a full disk is named as such, with where it is."""
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            where = error.filename or settings.MEDIA_ROOT
            return f"no space left on the disk holding {where} (media files are written to {settings.MEDIA_ROOT})"
        return f"could not write {error.filename or 'a file'}: {error.strerror or error}"
    cause = error.__cause__
    if "database or disk is full" in str(error) or getattr(cause, "sqlstate", None) == DISK_FULL_STATE:
        return "the database's disk is full"
    return f"the database refused a write ({str(error).strip().splitlines()[0] if str(error).strip() else error})"


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
        except (OSError, DatabaseError) as error:
            # Disk full, a database that went away…: earlier batches are committed, the current one
            # was rolled back, and the checkpoint lets the same command carry on.
            if not quiet:
                sys.stderr.write("\n")
            raise CommandError(
                f"{options['file']}: the import stopped: {write_failure(error)}. Everything imported before "
                "this point is kept and the batch that was being written was rolled back, so nothing is "
                "half-written. Fix the cause, then run the same command again: it resumes where it stopped."
            ) from None
        if not quiet:
            sys.stderr.write("\n")
            elapsed = time.monotonic() - started
            scan = importer.scan_result
            title = "Dry run — nothing was changed" if options["dry_run"] else "Imported"
            self.stdout.write(f"{title}: {options['file']} ({scan.items} items in {elapsed:.1f} s)\n")
            self.stdout.write(summary.table())
