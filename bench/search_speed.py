"""Search speed at newsroom scale: 100,000 synthetic articles, one client and under load.

Usage: .venv/bin/python bench/search_speed.py [--articles 100000] [--workers 2]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search_speed.py
For iterating on the search itself: --keep leaves the database (PostgreSQL: murasil_bench_search_kept,
SQLite: /tmp/murasil-bench-search-kept) in place, and --reuse times an existing kept database again
(migrations applied, the index rebuilt only with --reindex; --no-server skips the server phase).

Articles are stitched from sentences of the demo newsroom (murasil/demo/content.py), so the word
distribution is real Arabic news text. Prints the index build time, search p50/p95 in-process (the
search call alone) and through the real server (`murasil serve`, the full /search/ page), and the
page throughput with 8 concurrent clients. Reference: the home page through the same server.
"""

import argparse
import glob
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from common import ROOT, drop_database, running_server, use_fresh_database

sys.path.insert(0, str(ROOT))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="time the kept database again, no build")
    parser.add_argument("--reindex", action="store_true", help="with --reuse: rebuild the index first")
    parser.add_argument("--no-server", action="store_true", help="in-process measurements only")
    args = parser.parse_args()

    kept = args.keep or args.reuse
    if kept:
        data_dir = KEPT_DIR
        os.makedirs(data_dir, exist_ok=True)
    else:
        data_dir = tempfile.mkdtemp(prefix="murasil-bench-search-")
    os.environ.update(
        {"MURASIL_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "murasil.settings.local", "ALLOWED_HOSTS": "127.0.0.1"}
    )
    os.environ.pop("REDIS_URL", None)
    database = KEPT_DATABASE if kept else "murasil_bench_search"
    if args.reuse:
        url = use_existing_database(database)
    else:
        if kept and not os.environ.get("DATABASE_URL"):
            for stale in glob.glob(os.path.join(data_dir, "murasil.sqlite3*")):
                os.remove(stale)
        url = use_fresh_database(database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from murasil.news.models import Article
    from murasil.search.evaluation.metrics import load
    from murasil.search.index import rebuild, search

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    rng = random.Random(7)
    load_seconds = index_seconds = None
    if args.reuse:
        args.articles = Article.objects.count()
        if args.reindex:
            index_seconds = build_index(connection, transaction, rebuild)
    else:
        load_seconds = load_articles(args.articles, rng)
        print(f"loaded {args.articles} articles in {load_seconds:.0f} s; indexing…", flush=True)
        index_seconds = build_index(connection, transaction, rebuild)

    print("searching…", flush=True)
    queries = [q["query"] for q in load()["queries"]]
    search(queries[0])  # the first call loads the synonym table and warms the connection
    in_process = []
    for query in queries * 2:
        began = time.perf_counter()
        search(query)
        in_process.append((time.perf_counter() - began) * 1000)
    p50, p95 = statistics.median(in_process), percentile(in_process, 0.95)
    print(f"search call, in-process: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
    publish = publish_costs(Article, rng)
    print(f"one publish (index_article + refresh_related): p50 {statistics.median(publish):.0f} ms", flush=True)

    runs: dict[str, dict] = {}
    if not args.no_server:
        import requests

        def measure(page_cache: bool) -> dict:
            env = {**os.environ, "MURASIL_PAGE_CACHE": "1" if page_cache else "0"}
            with running_server(env, args.workers) as base:

                def page(path: str) -> float:
                    began = time.perf_counter()
                    response = requests.get(base + path, timeout=60)
                    assert response.status_code == 200, (path, response.status_code)
                    return (time.perf_counter() - began) * 1000

                paths = ["/search/?q=" + urllib.parse.quote(q) for q in queries]
                for path in paths[:10]:
                    page(path)
                one_client = [page(rng.choice(paths)) for _ in range(args.requests)]
                home = [page("/") for _ in range(50)]
                began = time.perf_counter()
                with ThreadPoolExecutor(max_workers=8) as pool:
                    list(pool.map(page, [rng.choice(paths) for _ in range(args.requests)]))
                throughput = args.requests / (time.perf_counter() - began)
            return {"one_client": one_client, "home": home, "throughput": throughput}

        # The search's own cost is the uncached page; the page cache then answers repeated queries.
        for name, page_cache in (("page cache off", False), ("page cache on", True)):
            print(f"starting the server ({name})…", flush=True)
            runs[name] = measure(page_cache)

    loaded = f" (loaded in {load_seconds:.0f} s)" if load_seconds is not None else " (kept database)"
    print(f"database: {connection.vendor}; {args.articles} articles{loaded}")
    if index_seconds is not None:
        print(f"index build: {index_seconds:.0f} s ({args.articles / index_seconds:.0f} articles/s)")
    print(f"search call, in-process: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"one publish (index_article + refresh_related, {len(publish)} articles): "
        f"p50 {statistics.median(publish):.0f} ms, max {max(publish):.0f} ms"
    )
    for name, run in runs.items():
        one_client, home = run["one_client"], run["home"]
        print(
            f"/search/ page, one client, {name}: p50 {statistics.median(one_client):.1f} ms, "
            f"p95 {percentile(one_client, 0.95):.1f} ms ({args.workers} workers); "
            f"reference, home page: p50 {statistics.median(home):.1f} ms, p95 {percentile(home, 0.95):.1f} ms"
        )
        print(f"/search/ throughput, 8 clients, {name}: {run['throughput']:.0f} pages/s")
    if kept:
        connection.close()
    else:
        drop_database(url, database)


KEPT_DIR = os.path.join(tempfile.gettempdir(), "murasil-bench-search-kept")
KEPT_DATABASE = "murasil_bench_search_kept"


def use_existing_database(name: str) -> str | None:
    """Point DATABASE_URL (if set) at the kept database `name`; SQLite finds its file in KEPT_DIR."""
    url = os.environ.get("DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return url


def load_articles(count: int, rng: random.Random) -> float:
    """Create `count` published articles from the demo newsroom's sentences; return the seconds taken."""
    import datetime

    from django.utils import timezone

    from murasil.core.models import HomePage
    from murasil.demo import content
    from murasil.news.models import Article, SectionPage

    sentences = []
    for item in content.ARTICLES:
        for block in item["body"]:
            if block[0] == "p":
                sentences += [s.strip() + "." for s in block[1].split(".") if len(s.split()) > 4]
    titles = [item["title"] for item in content.ARTICLES]
    home = HomePage.objects.get()
    sections = [home.add_child(instance=SectionPage(title=f"قسم {i}", slug=f"s{i}")) for i in range(8)]
    start = timezone.now() - datetime.timedelta(days=1)
    loading = time.perf_counter()
    batch = []
    for i in range(count):
        section = sections[i % len(sections)]
        body = [("paragraph", "<p>" + " ".join(rng.sample(sentences, 4)) + "</p>") for _ in range(3)]
        when = start - datetime.timedelta(minutes=3 * i)
        batch.append(
            Article(
                section=section, root_section=section, title=rng.choice(titles) + f" ({i})", slug=f"a{i}",
                standfirst=rng.choice(sentences), body=body, live=True, first_published_at=when,
                last_published_at=when,
            )
        )  # fmt: skip
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    return time.perf_counter() - loading


def build_index(connection, transaction, rebuild) -> float:
    indexing = time.perf_counter()
    with transaction.atomic():
        rebuild(related=False)
    seconds = time.perf_counter() - indexing
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"indexed in {seconds:.0f} s", flush=True)
    return seconds


def publish_costs(article_model, rng: random.Random, samples: int = 20) -> list[float]:
    """What publishing one article adds for search: reindex it, store its related list and refresh
    its three closest neighbours' lists (signal_handlers.article_published), in ms per article."""
    from murasil.search.index import index_article
    from murasil.search.related import refresh_related

    ids = list(article_model.objects.order_by("-pk").values_list("pk", flat=True)[:5000])
    costs = []
    for pk in rng.sample(ids, samples):
        began = time.perf_counter()
        index_article(pk)
        refresh_related(pk)
        costs.append((time.perf_counter() - began) * 1000)
    return costs


if __name__ == "__main__":
    main()
