"""Reader page render times on the real production server, one client, no cache.

Usage: .venv/bin/python bench/render_times.py [--requests 40] [--workers 2]

Builds the demo newsroom in a fresh data directory, starts `murasil serve` on a free port, then
requests each page type in turn and prints median and 95th-percentile times, with the ratio to
robots.txt (a response that touches neither templates nor the database) measured in the same run.
"""

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import MURASIL, ROOT, running_server


def fetch(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own local server
        body = response.read()
    return time.perf_counter() - start, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per page (default 40)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="murasil-bench-"))
    env = {**os.environ, "MURASIL_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "murasil.settings.local"}
    env.pop("REDIS_URL", None)
    subprocess.run([*MURASIL, "demo", "--no-serve"], cwd=ROOT, env=env, check=True, capture_output=True)
    with running_server(env, args.workers) as base:
        home = fetch(base + "/")[1].decode()
        article = re.search(r'href="(/iraq/\d+/[^"]+/)"', home).group(1)
        tag = re.search(r'href="(/tag/[^"]+/)"', fetch(base + article)[1].decode()).group(1)
        pages = {
            "robots.txt (reference)": "/robots.txt",
            "home": "/",
            "section": "/arab-world/",
            "child section": "/arab-world/iraq/",
            "article": article,
            "reporter": "/author/anas-alsheikh/",
            "tag": tag,
            "static page": "/about/",
        }
        results = {}
        for name, path in pages.items():
            for _ in range(3):  # warm the worker processes and renditions
                fetch(base + path)
            times = sorted(fetch(base + path)[0] * 1000 for _ in range(args.requests))
            size = len(fetch(base + path)[1])
            results[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1], size)
        reference = results["robots.txt (reference)"][0]
        print(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}{'HTML KB':>10}{'x reference':>13}")
        for name, (median, p95, size) in results.items():
            print(f"{name:<24}{median:>10.1f}{p95:>10.1f}{size / 1024:>10.1f}{median / reference:>13.1f}")
        print(f"({args.requests} sequential requests per page, {args.workers} gunicorn workers, SQLite, no page cache)")


if __name__ == "__main__":
    main()
