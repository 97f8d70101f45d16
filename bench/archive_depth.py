"""Page 500 of a section costs what page 1 costs: keyset cursors against an OFFSET reference.

Usage: .venv/bin/python bench/archive_depth.py [--articles 100000] [--repeat 20]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/archive_depth.py

Creates a throw-away database (a SQLite file in a temporary data dir, or a `murasil_bench` database
next to the one DATABASE_URL names), fills one section with N published articles, and times the
section archive at page 1 and at page 500 through the reader view, plus the same page-500 query
written with OFFSET as the reference that grows with depth.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ["MURASIL_DATA_DIR"] = tempfile.mkdtemp(prefix="murasil-bench-archive-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "murasil.settings.local"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("REDIS_URL", None)
    os.environ["MURASIL_PAGE_CACHE"] = "0"  # the view itself, not a stored copy of it
    url = os.environ.get("DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/murasil_bench"
        import psycopg

        admin = psycopg.connect(url, autocommit=True)
        admin.execute("DROP DATABASE IF EXISTS murasil_bench")
        admin.execute("CREATE DATABASE murasil_bench")
        admin.close()
    import django

    django.setup()


def timed(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from murasil.core.models import HomePage
    from murasil.news.models import Article, SectionPage
    from murasil.news.pagination import make_cursor

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    home = HomePage.objects.get()
    section = home.add_child(instance=SectionPage(title="اقتصاد", slug="economy"))
    other = home.add_child(instance=SectionPage(title="رياضة", slug="sport"))
    start = timezone.now() - datetime.timedelta(days=1)
    batch = []
    load_started = time.perf_counter()
    for i in range(args.articles):
        # Every fifth article goes to another section, so the archive is a real filtered range.
        target = other if i % 5 == 0 else section
        when = start - datetime.timedelta(minutes=7 * i)
        batch.append(
            Article(
                section=target, root_section=target, title=f"خبر اقتصادي رقم {i}", slug=f"n{i}", live=True,
                first_published_at=when, last_published_at=when, word_count=200,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_seconds = time.perf_counter() - load_started

    page_size = 12
    in_section = Article.objects.published().filter(root_section=section).newest_first()
    total = in_section.count()
    client = Client()

    def page(query: str) -> None:
        response = client.get("/economy/" + query)
        assert response.status_code == 200, response.status_code

    def keyset_query(cursor: str):
        from murasil.news.pagination import keyset_page

        cards = Article.objects.published().for_cards().filter(root_section=section)
        return keyset_page(cards, {"before": cursor}, page_size)

    first = timed(lambda: page(""), args.repeat)
    print(f"database: {connection.vendor}; {args.articles} articles ({total} in the section)")
    print(f"loaded in {load_seconds:.0f} s")
    print(f"{'measure':<46}{'median ms':>10}{'x page 1':>10}")
    print(f"{'section page 1, full view':<46}{first:>10.2f}{1:>10.2f}")
    for deep in (500, 5000):
        if deep * page_size > total:
            continue
        cursor = make_cursor(in_section[(deep - 1) * page_size - 1])
        deep_page = timed(lambda cursor=cursor: page(f"?before={cursor}"), args.repeat)
        keyset = timed(lambda cursor=cursor: keyset_query(cursor), args.repeat)
        window = slice((deep - 1) * page_size, deep * page_size)
        offset = timed(lambda window=window: list(in_section.for_cards()[window]), args.repeat)
        # The keyset page must show exactly the rows OFFSET would.
        assert [a.pk for a in keyset_query(cursor).items] == [a.pk for a in in_section[window]]
        print(f"{f'section page {deep}, full view (keyset)':<46}{deep_page:>10.2f}{deep_page / first:>10.2f}")
        print(f"{f'  page {deep} query: keyset':<46}{keyset:>10.2f}")
        print(f"{f'  page {deep} query: OFFSET (reference)':<46}{offset:>10.2f}   = {offset / keyset:.1f}x keyset")


if __name__ == "__main__":
    main()
