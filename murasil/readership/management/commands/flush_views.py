"""`murasil flush_views`: write the counted article views to the database and refresh «الأكثر قراءة».

`murasil serve` does this every minute. With Redis, any server may run it, as often as wanted: each
count is written once. With the local-memory cache, counts live inside the server processes, which
flush them themselves; this command then only refreshes the lists.
"""

from django.core.management.base import BaseCommand

from murasil.readership.counters import flush_views, uses_redis
from murasil.readership.most_read import refresh_most_read


class Command(BaseCommand):
    help = "Write counted article views to the database and refresh the most-read lists."

    def handle(self, *args, **options):
        result = flush_views()
        if result.skipped:
            self.stdout.write("Another flush is running; its counts will be written by it.")
            return
        if not result.articles:
            refresh_most_read()
        self.stdout.write(f"Wrote {result.views} views of {result.articles} article-days.")
        if not uses_redis() and options["verbosity"] > 1:
            self.stdout.write("Local-memory cache: each server process writes its own counts about once a minute.")
