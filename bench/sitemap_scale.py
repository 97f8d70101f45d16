"""Sitemaps and feeds at archive scale: /sitemap.xml and its children against /robots.txt.

Usage: .venv/bin/python bench/sitemap_scale.py [--articles 100000] [--repeat 10]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/sitemap_scale.py --articles 1000000
       (--keep leaves the PostgreSQL database in place, --reuse measures it again without reloading)

Creates a throw-away database (a SQLite file in a temporary data dir, or a `murasil_bench_sitemaps`
database next to the one DATABASE_URL names), fills it with N published articles at 300 a day (so
about 9,000 a month), each with a reporter (of 150) and two tags (of 3,000), and times through
Django's test client: the sitemap index without and with its cache, one month's article sitemap, the
reporter and tag sitemaps, the news sitemap and the RSS feed; robots.txt is the reference. It also
records the peak Python memory of one uncached index and one month sitemap (tracemalloc).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import drop_database, use_fresh_database  # noqa: E402

DB_NAME = "murasil_bench_sitemaps"
PER_DAY = 300
STANDFIRST = "نص تمهيدي قصير يلخص الخبر للقارئ في سطرين أو ثلاثة، كما تكتبه غرفة الأخبار كل يوم. " * 3


def setup_django(reuse: bool) -> str | None:
    os.environ["MURASIL_DATA_DIR"] = tempfile.mkdtemp(prefix="murasil-bench-sitemaps-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "murasil.settings.local"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("REDIS_URL", None)
    if reuse:  # measure again on the database a previous --keep run left (PostgreSQL only)
        url = os.environ["DATABASE_URL"]
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + DB_NAME
        original = url
    else:
        original = use_fresh_database(DB_NAME)
    import django

    django.setup()
    return original


def timed(fn, repeat: int, before=None) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(articles: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from taggit.models import Tag

    from murasil.core.models import HomePage
    from murasil.news.models import Article, ArticleReporter, ArticleTag, Reporter, SectionPage

    home = HomePage.objects.get()
    sections = []
    for slug in ("politics", "economy", "sport", "culture", "tech"):
        section = home.add_child(instance=SectionPage(title=f"قسم {slug}", slug=slug))
        section.save_revision().publish()
        sections.append(section)
    reporters = Reporter.objects.bulk_create(Reporter(name=f"مراسل {i}", slug=f"r{i}") for i in range(150))
    tags = Tag.objects.bulk_create(Tag(name=f"وسم {i}", slug=f"t{i}") for i in range(3000))
    started = time.perf_counter()
    now = timezone.now()
    step = datetime.timedelta(days=1) / PER_DAY
    batch = 5000
    for first in range(0, articles, batch):
        rows = []
        for i in range(first, min(first + batch, articles)):
            section = sections[i % len(sections)]
            when = now - step * (i + 1)
            rows.append(
                Article(
                    section=section, root_section=section, title=f"خبر رقم {i} في الأرشيف", slug=f"n{i}",
                    standfirst=STANDFIRST, live=True, first_published_at=when, last_published_at=when, word_count=300,
                )
            )  # fmt: skip
        made = Article.objects.bulk_create(rows)
        ArticleReporter.objects.bulk_create(
            ArticleReporter(article=a, reporter=reporters[a.pk % len(reporters)], sort_order=0) for a in made
        )
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object=a, tag=tags[(a.pk * k) % len(tags)]) for a in made for k in (1, 7)
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    loaded = time.perf_counter() - started
    # bulk_create sends no signals: rebuild the tag sitemap's stored times, as a bulk import must.
    from murasil.syndication import tag_activity

    started = time.perf_counter()
    tag_activity.rebuild()
    print(f"tag_activity.rebuild() after the load: {time.perf_counter() - started:.1f} s")
    return loaded


def peak_kib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure the database a --keep run left")
    args = parser.parse_args()
    original = setup_django(args.reuse)

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_seconds = 0.0 if args.reuse else fill(args.articles)
    client = Client()

    def get(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(response.content)

    index = client.get("/sitemap.xml").content.decode()
    children = [loc.split("</loc>")[0] for loc in index.split("<loc>")[1:]]
    months = [c for c in children if "sitemap-articles-" in c]
    month = months[len(months) // 2].split("://", 1)[1].split("/", 1)[1]
    rows = [
        ("robots.txt (reference)", "/robots.txt", None),
        ("sitemap index, uncached", "/sitemap.xml", cache.clear),
        ("sitemap index, cached", "/sitemap.xml", None),
        (f"one month: /{month}", f"/{month}", None),
        ("pages sitemap", "/sitemap-pages.xml", None),
        ("reporters sitemap (150)", "/sitemap-reporters.xml", None),
        ("tags sitemap (3,000)", "/sitemap-tags.xml", None),
        ("news sitemap (48 h, 600 urls)", "/news-sitemap.xml", None),
        ("RSS feed /feed/ (30 items)", "/feed/", None),
    ]
    from murasil.news.models import Article

    print(f"database: {connection.vendor}; {Article.objects.count()} articles, {len(months)} monthly sitemaps")
    print(f"loaded in {load_seconds:.0f} s")
    print(f"{'measure':<48}{'median ms':>10}{'KB':>9}{'x ref':>9}")
    reference = None
    for label, url, before in rows:
        size = get(url)
        median = timed(lambda url=url: get(url), args.repeat, before)
        reference = reference or median
        print(f"{label:<48}{median:>10.1f}{size / 1024:>9.1f}{median / reference:>9.0f}")
    cache.clear()
    print(f"peak Python memory, uncached index: {peak_kib(lambda: get('/sitemap.xml')):.0f} KiB")
    print(f"peak Python memory, one month sitemap: {peak_kib(lambda: get('/' + month)):.0f} KiB")
    if not (args.keep or args.reuse):
        drop_database(original, DB_NAME)


if __name__ == "__main__":
    main()
