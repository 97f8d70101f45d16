"""`murasil restore PATH [--force] [--check]`: put a backup back, after checking all of it."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from murasil.backup.errors import BackupError, is_disk_full
from murasil.backup.progress import Progress
from murasil.backup.restore import restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `murasil backup` into this site's data folder and database (empty ones, "
        "unless --force). The archive and every checksum are verified before anything is changed."
    )
    # The target may be an empty database: nothing may query it before the restore does.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a site that is not empty (its database and media are kept aside, renamed)",
        )
        parser.add_argument("--check", action="store_true", help="only verify the backup; change nothing")

    def handle(self, *args, **options):
        started = time.monotonic()
        path = Path(options["path"]).expanduser().absolute()
        quiet = options["verbosity"] == 0
        progress = Progress(self.stderr._out, quiet=quiet)

        def say(message: str) -> None:
            progress.end()
            if not quiet:
                self.stdout.write(message)

        try:
            result = restore(path, force=options["force"], check_only=options["check"], progress=progress, say=say)
        except BackupError as error:
            progress.end()
            raise CommandError(f"Restore failed: {error}.") from None
        except OSError as error:
            progress.end()
            if is_disk_full(error):
                raise CommandError(
                    "Restore failed: no space left on the disk while unpacking the backup (it needs about the "
                    "backup's uncompressed size free beside the media folder). Nothing was changed."
                ) from None
            raise CommandError(f"Restore failed: {error}.") from None
        progress.end()
        if options["check"] or quiet:
            return
        self.stdout.write(f"Restored {path} in {time.monotonic() - started:.1f} s.")
        for kept in result["aside"]:
            self.stdout.write(f"What was there before is kept as {kept}; delete it when you no longer need it.")
