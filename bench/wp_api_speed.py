"""WordPress API response times on the real production server, one client, no cache.

Usage: .venv/bin/python bench/wp_api_speed.py [--requests 60] [--workers 2] [--data-dir DIR]

Builds the demo newsroom in a fresh data directory (or reuses --data-dir), starts `murasil serve` on a
free port and requests each URL in turn, as a WordPress client would (Accept-Encoding: gzip), printing
median and 95th-percentile times with robots.txt (no templates, no database) as the reference.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import MURASIL, ROOT, running_server

URLS = {
    "robots.txt (reference)": "/robots.txt",
    "posts?per_page=100": "/wp-json/wp/v2/posts?per_page=100",
    "posts?per_page=10": "/wp-json/wp/v2/posts",
    "posts?per_page=100&_fields=id,title,link": "/wp-json/wp/v2/posts?per_page=100&_fields=id,title,link",
    "posts?_embed (10)": "/wp-json/wp/v2/posts?_embed",
    "posts?search=المياه": "/wp-json/wp/v2/posts?search=%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87",
    "categories": "/wp-json/wp/v2/categories",
    "media?per_page=100": "/wp-json/wp/v2/media?per_page=100",
    "comments?per_page=100": "/wp-json/wp/v2/comments?per_page=100",
}


def fetch(url: str) -> tuple[float, int, int]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - local server
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        body = response.read()
        total = int(response.headers.get("X-WP-Total") or 0)
    return time.perf_counter() - start, len(body), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per URL (default 60)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", help="an existing demo data directory (default: build a fresh one)")
    args = parser.parse_args()

    data = Path(args.data_dir or tempfile.mkdtemp(prefix="murasil-bench-"))
    env = {**os.environ, "MURASIL_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "murasil.settings.local"}
    env.pop("REDIS_URL", None)
    subprocess.run([*MURASIL, "demo", "--no-serve"], cwd=ROOT, env=env, check=True, capture_output=True)
    with running_server(env, args.workers) as base:
        results = {}
        for name, path in URLS.items():
            for _ in range(5):  # warm both workers
                fetch(base + path)
            times = sorted(fetch(base + path)[0] * 1000 for _ in range(args.requests))
            _, size, total = fetch(base + path)
            results[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1], size, total)
        reference = results["robots.txt (reference)"][0]
        print(f"{'URL':<44}{'median ms':>10}{'p95 ms':>9}{'gzip KB':>9}{'items':>7}{'x ref':>8}")
        for name, (median, p95, size, total) in results.items():
            print(f"{name:<44}{median:>10.1f}{p95:>9.1f}{size / 1024:>9.1f}{total:>7}{median / reference:>8.1f}")
        print(f"({args.requests} sequential requests per URL, {args.workers} gunicorn workers, SQLite, no page cache)")


if __name__ == "__main__":
    main()
