"""Full-page cache throughput: `murasil serve` alone (no nginx), many clients, cached vs uncached article.

Usage: .venv/bin/python bench/page_cache.py [--duration 10] [--connections 16] [--workers 3] [--redis URL]

Builds the demo newsroom in a fresh data directory (SQLite; the page cache in the shared file cache,
or in Redis with --redis), starts the real production server on a free port and loads it with wrk
(Debian's, installed by bench/setup.sh) from the same machine. Prints requests/s and p50/p99 latency for:
a static file served by the same server (the reference), robots.txt, a cached article (no coding and
brotli), and the same article with the page cache switched off (MURASIL_PAGE_CACHE=0, a second server).
"""

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from common import MURASIL, ROOT, running_server

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, args, headers: dict | None = None) -> dict:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = {
        pct: float(value) * UNITS[unit]
        for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": int(errors.group(1)) if errors else 0,
    }


def fetch(url: str, **headers) -> dict:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own local server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        body = response.read()
        return {"headers": dict(response.headers), "body": body}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as murasil serve)")
    parser.add_argument("--redis", help="keep the caches in this Redis (e.g. redis://127.0.0.1:6379/1)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["bash", str(ROOT / "bench" / "setup.sh")], check=True)

    data = Path(tempfile.mkdtemp(prefix="murasil-bench-"))
    env = {**os.environ, "MURASIL_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "murasil.settings.local"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    subprocess.run([*MURASIL, "demo", "--no-serve"], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"load average before: {load()}")

    results = {}
    with running_server(env, args.workers) as base:
        home = fetch(base + "/")["body"].decode()
        article = re.search(r'href="(/iraq/\d+/[^"]+/)"', home).group(1)
        static = re.search(r'href="(/static/murasil/css/site\.[0-9a-f]+\.css)"', home).group(1)
        for _ in range(2):
            answer = fetch(base + article)
        assert answer["headers"]["X-Cache"] == "HIT", answer["headers"]
        size = len(answer["body"])
        brotli_size = len(fetch(base + article, **{"Accept-Encoding": "br"})["body"])
        results["static file (reference)"] = wrk(base + static, args)
        results["robots.txt (cached)"] = wrk(base + "/robots.txt", args)
        results[f"cached article ({size / 1024:.1f} KB)"] = wrk(base + article, args)
        results[f"cached article, brotli ({brotli_size / 1024:.1f} KB)"] = wrk(
            base + article, args, {"Accept-Encoding": "br, gzip"}
        )
    with running_server({**env, "MURASIL_PAGE_CACHE": "0"}, args.workers) as base:
        fetch(base + article)
        results["uncached article"] = wrk(base + article, args)
    print(f"load average after: {load()}")

    reference = results["static file (reference)"]["rps"]
    uncached = results["uncached article"]["rps"]
    print(f"\n{'':<36}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x static':>10}{'x uncached':>12}")
    for name, r in results.items():
        errors = f"  ({r['errors']} errors)" if r["errors"] else ""
        print(
            f"{name:<36}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
            f"{r['rps'] / reference:>10.2f}{r['rps'] / uncached:>12.1f}{errors}"
        )
    cache = "Redis" if args.redis else "shared file cache"
    print(
        f"(wrk -t{args.threads} -c{args.connections} -d{args.duration}s on the same machine; murasil serve, "
        f"{args.workers} workers x 4 threads, SQLite, page cache in the {cache})"
    )


if __name__ == "__main__":
    main()
