"""The view beacon on the real production server: requests per second, and every count written once.

Usage: .venv/bin/python bench/view_beacon.py [--requests 4000] [--clients 16] [--workers 4]
       BENCH_DATABASE_URL=postgres://…/<db> BENCH_REDIS_URL=redis://…/<n> for PostgreSQL + Redis
       (default: SQLite in a temporary data directory and the local-memory cache)

Loads the demo newsroom, starts `murasil serve` (production settings, no scheduler), and sends
beacons from `--clients` threads with keep-alive, each request as a different reader (its own user
agent), spread over the published articles. Reference: `robots.txt` fetched the same way in the same
run. Then flushes and checks that the database gained exactly the number of views answered 204
(with Redis: across all workers; with the local cache each worker flushes its own counts once a
minute, so there only the figure is printed). Finally times writing 10,000 distinct counters.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from common import MURASIL, ROOT, running_server

TOTAL_VIEWS = (
    "from django.db.models import Sum; from murasil.readership.models import DailyArticleViews as D; "
    "print(D.objects.aggregate(s=Sum('views'))['s'] or 0)"
)


def hammer(
    base: str, paths: list[str], method: str, clients: int, reader: str = "bench reader"
) -> tuple[float, dict[int, int]]:
    sessions = [requests.Session() for _ in range(clients)]
    statuses: dict[int, int] = {}

    def run(client: int) -> dict[int, int]:
        seen: dict[int, int] = {}
        session = sessions[client]
        for i in range(client, len(paths), clients):
            response = session.request(
                method, base + paths[i], headers={"User-Agent": f"Mozilla/5.0 ({reader} {i}) Chrome/131"}
            )
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
        return seen

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for seen in pool.map(run, range(clients)):
            for code, n in seen.items():
                statuses[code] = statuses.get(code, 0) + n
    return time.perf_counter() - started, statuses


def django_shell(env: dict, code: str) -> str:
    command = [*MURASIL, "shell", "--no-imports", "-c", code]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=600
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="murasil-bench-beacon-")
    env = {
        **os.environ,
        "MURASIL_DATA_DIR": data,
        "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MURASIL_HTTPS": "false",
        # Rate limiting is per browser; here every request is its own browser anyway.
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    if env.get("DATABASE_URL"):
        import psycopg

        server_url, name = env["DATABASE_URL"].rsplit("/", 1)
        with psycopg.connect(server_url + "/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    subprocess.run([*MURASIL, "demo", "--no-serve"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    subprocess.run([*MURASIL, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    if env.get("REDIS_URL"):
        django_shell(env, "from django.core.cache import cache; cache.clear()")
    ids = django_shell(
        env, "from murasil.news.models import Article; print(*Article.objects.published().values_list('pk', flat=True))"
    ).split()
    before = int(django_shell(env, TOTAL_VIEWS))
    beacons = [f"/readership/view/{ids[i % len(ids)]}/" for i in range(args.requests)]
    robots = ["/robots.txt"] * args.requests

    with running_server(env, args.workers) as base:
        _, warm_codes = hammer(base, beacons[:200], "POST", args.clients, "warm-up")  # warm-up: published-state cache
        robots_time, robots_codes = hammer(base, robots, "GET", args.clients)
        beacon_time, beacon_codes = hammer(base, beacons, "POST", args.clients)
    counted = beacon_codes.get(204, 0) + warm_codes.get(204, 0)
    out = django_shell(
        env,
        "from murasil.readership.counters import flush_views; r = flush_views(); "
        "from murasil.readership.models import DailyArticleViews as D; from django.db.models import Sum; "
        "print(r.views, D.objects.aggregate(s=Sum('views'))['s'])",
    )
    flushed, after = (int(x) for x in out.split())
    print(f"workers={args.workers} clients={args.clients} requests={args.requests} articles={len(ids)}")
    database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"database: {database}; cache: {'Redis' if env.get('REDIS_URL') else 'local memory'}")
    print(f"robots.txt (reference): {args.requests / robots_time:8.0f} req/s  {robots_codes}")
    print(f"view beacon:            {args.requests / beacon_time:8.0f} req/s  {beacon_codes}")
    print(f"ratio beacon / reference: {robots_time / beacon_time:.2f}")
    if env.get("REDIS_URL"):
        print(f"views answered 204 (incl. warm-up): {counted}; last flush wrote {flushed}; table grew {after - before}")
        if after - before != counted:
            sys.exit("MISMATCH: counts were lost or doubled")
    else:
        print(f"views answered 204: {counted}; table grew by {after - before} (the rest waits in the workers' memory)")
    timing = django_shell(
        env,
        "import time, datetime; from django.utils import timezone; from murasil.news.models import Article; "
        "from murasil.readership.counters import write_counts; "
        "from django.db import connection; from django.test.utils import CaptureQueriesContext; "
        "ids = list(Article.objects.values_list('pk', flat=True)); today = timezone.localdate(); "
        "days = -(-10000 // len(ids)); "
        "c = {(today - datetime.timedelta(days=200 + d), pk): 1 for pk in ids for d in range(days)}; "
        "c = dict(list(c.items())[:10000]); "
        "t = time.perf_counter(); q = CaptureQueriesContext(connection); q.__enter__(); write_counts(c); q.__exit__(None, None, None); "  # noqa: E501
        "print(len(c), len(q.captured_queries), round((time.perf_counter() - t) * 1000))",
    )
    n, queries, ms = timing.split()
    print(f"flush of {n} distinct counters: {queries} queries, {ms} ms")


if __name__ == "__main__":
    main()
