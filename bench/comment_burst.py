"""200 readers post a comment to one article at the same moment, on the real production server.

Usage: .venv/bin/python bench/comment_burst.py [--posts 200] [--workers 4]
       (needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379; override with
        BENCH_DATABASE_URL / BENCH_REDIS_URL)

Creates a throw-away `murasil_bench_comments` database, starts `murasil serve` with production
settings (PostgreSQL, Redis cache), fetches a form token for every reader, then releases all posts
together. It checks that every comment is stored exactly once and that no request got a 5xx, then
re-sends a fifth of the posts (a double click or a retry) and checks nothing is stored twice.
Reference: the same number of `robots.txt` requests fired the same way.
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests
from common import MURASIL, ROOT, free_port, running_server

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
BENCH_DB = "murasil_bench_comments"


def fire(count: int, job) -> tuple[list, float]:
    """Run `job(i)` for every i in as many threads, released together by a barrier."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        return job(i)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(run, range(count)))
    return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    admin = psycopg.connect(DB_URL, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    admin.execute(f"CREATE DATABASE {BENCH_DB}")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
        "DATABASE_URL": DB_URL.rsplit("/", 1)[0] + "/" + BENCH_DB,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-" + "k8Zq2Lm9Xw4Tp1Vb7Nc3Yr6Ue0As5Dg" * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "MURASIL_HTTPS": "false",
        "MURASIL_SITE_URL": f"http://127.0.0.1:{port}",
        "MURASIL_DATA_DIR": tempfile.mkdtemp(prefix="murasil-bench-comments-"),
    }
    murasil = MURASIL
    subprocess.run([*murasil, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup = (
        "from murasil.core.models import HomePage\n"
        "from murasil.news.models import SectionPage, Article\n"
        "from murasil.comments.models import CommentSettings\n"
        "from django.utils import timezone\n"
        "home = HomePage.objects.get()\n"
        "s = home.add_child(instance=SectionPage(title='محليات', slug='local'))\n"
        "a = Article(section=s, title='خبر لاختبار التعليقات المتزامنة', live=False)\n"
        "a.save(); a.save_revision().publish()\n"
        # Every reader here comes from 127.0.0.1, so the per-IP limit is lifted for the run.
        "c = CommentSettings.load(); c.per_ip_per_hour = 100000; c.min_seconds = 1; c.auto_approve_known = False\n"
        "c.save()\n"
        "print(a.pk)\n"
    )
    out = subprocess.run(
        [*murasil, "shell", "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    article_id = int(out.stdout.strip().splitlines()[-1])
    with running_server(env, args.workers, port) as base:
        sessions, forms = [], []
        for i in range(args.posts):
            session = requests.Session()
            token = session.get(base + "/comments/token/", timeout=10).json()
            sessions.append(session)
            forms.append(
                {
                    "name": f"قارئ {i}",
                    "email": f"reader{i}@bench.example",
                    "text": f"تعليق رقم {i} في اختبار التزامن",
                    "stamp": token["stamp"],
                    "csrfmiddlewaretoken": token["csrf"],
                }
            )
        time.sleep(1.2)  # the form's minimum writing time
        url = f"{base}/comments/post/{article_id}/"

        def post(i):
            try:
                response = sessions[i].post(url, data=forms[i], headers={"Accept": "application/json"}, timeout=60)
                return response.status_code
            except requests.RequestException as error:
                return type(error).__name__

        statuses, elapsed = fire(args.posts, post)
        retries = list(range(0, args.posts, 5))
        retry_statuses, _ = fire(len(retries), lambda j: post(retries[j]))
        reference, ref_elapsed = fire(args.posts, lambda i: requests.get(base + "/robots.txt", timeout=60).status_code)

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            rows = conn.execute(
                "select text, count(*) from comments_comment where article_id = %s group by text", [article_id]
            ).fetchall()
        stored = dict(rows)
        expected = {form["text"] for form in forms}
        duplicates = {text: n for text, n in stored.items() if n != 1}
        missing = expected - set(stored)
        print(f"{args.posts} concurrent posts, {args.workers} gunicorn workers, PostgreSQL + Redis")
        print(f"  statuses: {dict(collections.Counter(statuses))}")
        print(f"  re-sent posts: {dict(collections.Counter(retry_statuses))}")
        print(f"  stored: {sum(stored.values())} rows, {len(stored)} distinct")
        print(f"  missing {len(missing)}, duplicated {len(duplicates)}")
        print(f"  burst took {elapsed:.2f} s ({args.posts / elapsed:.0f} posts/s)")
        print(f"  reference: {args.posts} robots.txt took {ref_elapsed:.2f} s; ratio {elapsed / ref_elapsed:.1f}x")
        server_errors = [s for s in statuses + retry_statuses if not isinstance(s, int) or s >= 500]
        ok = not missing and not duplicates and not server_errors and len(stored) == args.posts
        print("RESULT:", "every comment stored exactly once, no 5xx" if ok else "FAILED")
    admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
