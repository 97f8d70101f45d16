"""One reader page rendered in-process again and again, page cache off: its CPU cost without a server.

Usage: .venv/bin/python bench/page_in_process.py --data-dir /tmp/murasil-bench-stack-100000 /search/ [/ …]
       [--requests 200] [--profile [--sort tottime]]

For comparing two versions of the code on a kept newsroom (`bench/stack.py --keep --build-only`): run
it on each, alternating, and compare the minimums; on a shared VM the medians swing. Reference: the
robots.txt response, which renders no template, measured in the same run. `--profile` prints the
30 costliest functions (cumulative, or as `--sort` says) of the first path. With DATABASE_URL set it
reads that database (a kept PostgreSQL newsroom) and the data dir for media only.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(client, path: str, requests: int) -> tuple[float, float, int]:
    for _ in range(5):
        client.get(path)
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return statistics.median(samples), min(samples), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--data-dir", required=True, help="a kept newsroom's MURASIL_DATA_DIR")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, …")
    args = parser.parse_args()
    os.environ["MURASIL_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "murasil.settings.local")
    os.environ["MURASIL_PAGE_CACHE"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name hashed files
    client = Client()
    reference, _, _ = timed(client, "/robots.txt", args.requests)
    print(f"{'page':<40} {'p50 ms':>8} {'min ms':>8} {'KB':>6} {'× ref':>6}")
    print(f"{'/robots.txt (reference)':<40} {reference:8.2f} {'':>8} {'':>6} {1:6.1f}")
    for path in args.paths:
        median, fastest, size = timed(client, path, args.requests)
        print(f"{path[:40]:<40} {median:8.2f} {fastest:8.2f} {size / 1024:6.1f} {median / reference:6.1f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            client.get(args.paths[0])
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
