"""Search speed at newsroom scale: 100,000 synthetic articles, one client and under load.

Usage: .venv/bin/python bench/search_speed.py [--articles 100000] [--workers 2]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search_speed.py

Articles are stitched from sentences of the demo newsroom (murasil/demo/content.py), so the word
distribution is real Arabic news text. Prints the index build time, search p50/p95 in-process (the
search call alone) and through the real server (`murasil serve`, the full /search/ page), and the
page throughput with 8 concurrent clients. Reference: the home page through the same server.
"""

import argparse
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
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="murasil-bench-search-")
    os.environ.update(
        {"MURASIL_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "murasil.settings.local", "ALLOWED_HOSTS": "127.0.0.1"}
    )
    os.environ.pop("REDIS_URL", None)
    url = use_fresh_database("murasil_bench_search")

    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from murasil.core.models import HomePage
    from murasil.demo import content
    from murasil.news.models import Article, SectionPage
    from murasil.search.evaluation.metrics import load
    from murasil.search.index import rebuild, search

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sentences = []
    for item in content.ARTICLES:
        for block in item["body"]:
            if block[0] == "p":
                sentences += [s.strip() + "." for s in block[1].split(".") if len(s.split()) > 4]
    titles = [item["title"] for item in content.ARTICLES]
    rng = random.Random(7)
    home = HomePage.objects.get()
    sections = [home.add_child(instance=SectionPage(title=f"قسم {i}", slug=f"s{i}")) for i in range(8)]
    start = timezone.now() - datetime.timedelta(days=1)
    loading = time.perf_counter()
    batch = []
    for i in range(args.articles):
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
    load_seconds = time.perf_counter() - loading
    print(f"loaded {args.articles} articles in {load_seconds:.0f} s; indexing…", flush=True)
    indexing = time.perf_counter()
    with transaction.atomic():
        rebuild(related=False)
    index_seconds = time.perf_counter() - indexing
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    print(f"indexed in {time.perf_counter() - indexing:.0f} s; searching…", flush=True)
    queries = [q["query"] for q in load()["queries"]]
    in_process = []
    for query in queries * 2:
        began = time.perf_counter()
        search(query)
        in_process.append((time.perf_counter() - began) * 1000)

    import requests

    print("in-process searches done; starting the server…", flush=True)
    with running_server({**os.environ}, args.workers) as base:

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

    print(f"database: {connection.vendor}; {args.articles} articles (loaded in {load_seconds:.0f} s)")
    print(f"index build: {index_seconds:.0f} s ({args.articles / index_seconds:.0f} articles/s)")
    p50, p95 = statistics.median(in_process), percentile(in_process, 0.95)
    print(f"search call, in-process: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"/search/ page, one client: p50 {statistics.median(one_client):.1f} ms, "
        f"p95 {percentile(one_client, 0.95):.1f} ms ({args.workers} workers)"
    )
    print(f"reference, home page: p50 {statistics.median(home):.1f} ms")
    print(f"/search/ throughput, 8 clients: {throughput:.0f} pages/s")
    drop_database(url, "murasil_bench_search")


if __name__ == "__main__":
    main()
