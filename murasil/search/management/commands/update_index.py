"""`murasil update_index`: rebuild Wagtail's page index and Murasil's article search index."""

import sys

from django.db import transaction

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from murasil.search.index import rebuild


class Command(WagtailUpdateIndex):
    help = "Rebuild the search indexes: Wagtail's (pages) and Murasil's Arabic article index."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-related", action="store_true", help="Do not recompute every article's related articles"
        )

    def handle(self, **options):
        super().handle(**options)
        quiet = options.get("verbosity", 1) == 0

        def progress(done: int, total: int) -> None:
            if quiet:
                return
            width = 30
            filled = width * done // max(total, 1)
            sys.stdout.write(f"\rArticles: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stdout.flush()

        with transaction.atomic():
            count = rebuild(progress, related=not options["no_related"])
        if not quiet:
            self.stdout.write(f"\nIndexed {count} published articles for Arabic search.")
