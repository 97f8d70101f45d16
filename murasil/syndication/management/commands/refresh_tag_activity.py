"""`murasil refresh_tag_activity`: rebuild each tag's newest published article (the tag sitemap's lastmod)."""

import time

from django.core.management.base import BaseCommand

from murasil.syndication import tag_activity


class Command(BaseCommand):
    help = "Rebuild the tag sitemap's stored times, after writing articles in bulk without Wagtail's signals."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = tag_activity.rebuild()
        self.stdout.write(f"{count} tags with published articles ({time.perf_counter() - started:.1f} s)")
