"""`murasil purge_pages`: purge the page cache after changes made without Django's signals (bulk imports,
SQL), or everything after a change of templates made outside a deploy."""

from django.core.management.base import BaseCommand, CommandError

from murasil.pagecache import purge


class Command(BaseCommand):
    help = "Purge pages from the full-page cache: all of them, or those showing the given articles."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every cached page")
        parser.add_argument("--article", type=int, action="append", default=[], help="an article id (repeatable)")
        parser.add_argument("--tag", action="append", default=[], help="a cache tag such as home or section:5")

    def handle(self, *args, **options):
        from murasil.news.models import Article

        if not (options["all"] or options["article"] or options["tag"]):
            raise CommandError("Say what to purge: --all, --article ID or --tag TAG.")
        tags, urls = set(options["tag"]), set()
        if options["all"]:
            tags.add("all")
        for pk in options["article"]:
            article = Article.objects.filter(pk=pk).first()
            if article is None:
                raise CommandError(f"There is no article with id {pk}.")
            article_tags, article_urls = purge.article_change(article)
            tags |= article_tags
            urls |= article_urls
        purge.changed(tags, urls)
        self.stdout.write(f"Purged {len(tags)} tag(s): {', '.join(sorted(tags))}")
