"""What one save costs Wagtail's admin search index on PostgreSQL: the stock database backend against
murasil.search.wagtail_backend, on an index table of N entries.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/wagtail_index_add.py
       [--entries 100000] [--repeat 20]

Creates a throw-away `murasil_bench_wagtail` database next to the one DATABASE_URL names (dropped at
the end), migrates it, fills Wagtail's index table with N synthetic entries, then indexes one
reporter again and again with each backend in turn (the stock one follows every add with a pass over
the whole table for title norms; Murasil's leaves that to rebuilds). Prints the median time of an add
and the ratio.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import drop_database, use_fresh_database  # noqa: E402 - after the path set-up

DATABASE = "murasil_bench_wagtail"


def setup_django() -> str:
    """A new PostgreSQL database next to DATABASE_URL's; returns the original URL (for dropping it)."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    original = use_fresh_database(DATABASE)
    os.environ["MURASIL_DATA_DIR"] = tempfile.mkdtemp(prefix="murasil-bench-wagtail-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "murasil.settings.local"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    return original


def fill_index(entries: int) -> None:
    """N entries of another content type, with titles of 3–12 words, as a real index holds them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from wagtail.images import get_image_model

    content_type = ContentType.objects.get_for_model(get_image_model())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailsearch_indexentry
                (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
            SELECT %s, i::text, to_tsvector('simple', t), to_tsvector('simple', t), to_tsvector('simple', b),
                   1.0 + (i %% 7) / 10.0, t, b
            FROM (
                SELECT i, (SELECT string_agg('كلمة' || ((i * 31 + w) %% 5000), ' ')
                           FROM generate_series(1, 3 + i %% 10) AS w) AS t,
                          'نص ' || i AS b
                FROM generate_series(1, %s) AS i
            ) AS rows
            """,
            [content_type.pk, entries],
        )
        cursor.execute("ANALYZE wagtailsearch_indexentry")


def median_add_ms(backend, obj, repeat: int) -> float:
    from django.db import transaction

    samples = []
    for _ in range(repeat):
        with transaction.atomic():
            start = time.perf_counter()
            backend.add(obj)
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    original = setup_django()
    try:
        measure(args)
    finally:
        drop_database(original, DATABASE)


def measure(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from wagtail.search.backends.database import SearchBackend as stock_backend

    from murasil.news.models import Reporter
    from murasil.search.wagtail_backend import SearchBackend as murasil_backend

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill_index(args.entries)
    print(f"index table: {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
    reporter = Reporter.objects.create(name="سلمى الحداد", slug="salma")
    stock, murasil = stock_backend({}), murasil_backend({})
    median_add_ms(stock, reporter, 2)  # warm the caches of both before measuring
    median_add_ms(murasil, reporter, 2)
    stock_ms = median_add_ms(stock, reporter, args.repeat)
    murasil_ms = median_add_ms(murasil, reporter, args.repeat)
    print(f"one add, stock Wagtail database backend: {stock_ms:8.1f} ms (median of {args.repeat})")
    print(f"one add, murasil.search.wagtail_backend:  {murasil_ms:8.1f} ms")
    print(f"ratio murasil / stock: {murasil_ms / stock_ms:.3f}")


if __name__ == "__main__":
    main()
