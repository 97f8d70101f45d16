"""`murasil backup PATH`: the database and the media folder in one verified archive, while the site runs."""

import time

from django.core.management.base import BaseCommand, CommandError

from murasil.backup.archive import human_size, write_backup
from murasil.backup.errors import BackupError, is_disk_full
from murasil.backup.progress import Progress


class Command(BaseCommand):
    help = (
        "Write a backup: a consistent snapshot of the database and every media file, with a manifest of "
        "checksums, as one .tar.gz. PATH is a folder (a dated name is chosen) or a file name ending in .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder to write the backup into, or a file name ending in .tar.gz")

    def handle(self, *args, **options):
        started = time.monotonic()
        progress = Progress(self.stderr._out, quiet=options["verbosity"] == 0)
        try:
            final, result = write_backup(options["path"], progress)
        except BackupError as error:
            progress.end()
            raise CommandError(f"Backup failed: {error}. No backup file was written.") from None
        except OSError as error:
            progress.end()
            if is_disk_full(error):
                raise CommandError(
                    f"Backup failed: no space left on the disk holding {options['path']}. No backup file was "
                    "written and nothing partial was left; free some space or choose another folder."
                ) from None
            raise CommandError(
                f"Backup failed: {error.strerror or error} ({error.filename or options['path']}). "
                "No backup file was written."
            ) from None
        progress.end()
        manifest = result["manifest"]
        if options["verbosity"]:
            self.stdout.write(
                f"Backup written: {final} ({human_size(result['bytes'])}; {manifest['database']['engine']} database "
                f"and {manifest['media']['files']} media files, {human_size(result['total'])} before compression, "
                f"in {time.monotonic() - started:.1f} s)."
            )
