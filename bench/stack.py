"""The production stack under load: reader pages through `murasil serve` alone (page cache off and on)
and behind the reference nginx (docs/deploy/), against nginx serving the same article as a static file.

Usage: ./run bench stack [--articles 100000] [--duration 10] [--connections 16] [--warmup 3]
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> [REDIS_URL=redis://127.0.0.1:6379/<n>] \\
           ./run bench stack --articles 1000000 --keep        (then --reuse to measure it again)
       (./run bench installs wrk, nginx with the cache-purge module, Chromium and Lighthouse first)

1. Data: a throw-away newsroom of N published articles (bench/newsroom_scale.py) in SQLite (a
   temporary data dir) or, with DATABASE_URL, in a PostgreSQL database `<db>_stack` next to the one
   it names; the search index is built unless --skip-search. --keep leaves it (SQLite: in
   /tmp/murasil-bench-stack-<N>), --reuse measures a kept one again without rebuilding.
2. Servers: `murasil serve` with production settings, no scheduler, no access log, started twice in
   turn: with MURASIL_PAGE_CACHE=off ("uncached") and with the page cache on ("cached"; whether one
   is in this build is read from the X-Cache response header and printed). Then nginx with the
   configuration `murasil nginx_config` renders (TLS with a certificate made for the run, microcache,
   access log as documented) in front of the cached server, and a plain-HTTP rendering of the same
   template for the reference.
3. Load: wrk from the same machine, -t/-c/-d as given, every request with Accept-Encoding: gzip, after
   a warm-up of the same length as --warmup. Search rotates over the 99 judged queries; it is also
   measured with one client for its p95 target. References in the same run: nginx serving the
   article's bytes as a static file (.gz beside it, gzip_static), over HTTP and over HTTPS.
4. Page weight (Chromium, empty cache) and Lighthouse's mobile scores of the article page, and the
   resident memory (VmRSS) of each gunicorn worker after its server's runs.
"""

import argparse
import gzip
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import ROOT, free_port

sys.path.insert(0, str(ROOT))

MURASIL = [sys.executable, "-m", "murasil"]
CHROMIUM = os.environ.get("MURASIL_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


# ---------------------------------------------------------------- set-up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each measured run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: murasil serve's)")
    parser.add_argument("--serve-threads", type=int, help="threads per worker (default: murasil serve's; 1 = sync)")
    parser.add_argument("--only", help="comma-separated rows to measure, e.g. article,search")
    parser.add_argument("--skip-search", action="store_true", help="no search index, no search rows")
    parser.add_argument("--skip-uncached", action="store_true")
    parser.add_argument("--skip-nginx", action="store_true")
    parser.add_argument("--skip-browser", action="store_true", help="no page weight, no Lighthouse")
    parser.add_argument("--keep", action="store_true", help="keep the generated newsroom for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure a kept newsroom again")
    parser.add_argument("--build-only", action="store_true", help="generate (and keep) the newsroom, measure nothing")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.only:
        args.only = {name.strip() for name in args.only.split(",")}
    if args.build_only:
        args.keep = True
    return args


def configure(args) -> tuple[dict, str | None, str | None]:
    """Environment for this process and the servers; returns (env, database name, admin URL)."""
    kept = args.keep or args.reuse
    url = os.environ.get("DATABASE_URL")
    database = admin_url = None
    if kept:
        data_dir = Path(tempfile.gettempdir()) / f"murasil-bench-stack-{args.articles}"
        if not args.reuse and data_dir.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="murasil-bench-stack-"))
    if url:
        admin_url = url
        database = url.rsplit("/", 1)[1].split("?")[0] + "_stack"
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + database
        if not args.reuse:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                admin.execute(f"CREATE DATABASE {database}")
    key_file = data_dir / "bench-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    os.environ.update(
        {
            "MURASIL_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
            "SECRET_KEY": key_file.read_text(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MURASIL_HTTPS": "false",
            "MURASIL_SITE_URL": "https://127.0.0.1",
            "MURASIL_BEHIND_PROXY": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    if os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # no page from an earlier run's data
    return dict(os.environ), database, admin_url


def build(args) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from murasil.news.models import Article

    call_command("migrate", verbosity=0)
    if not args.reuse:
        import newsroom_scale

        began = time.perf_counter()

        def progress(done: int) -> None:
            if done % 20_000 < newsroom_scale.BATCH or done == args.articles:
                print(f"  {done:,} articles ({time.perf_counter() - began:.0f} s)", flush=True)

        print(f"generating {args.articles:,} articles on {connection.vendor}…", flush=True)
        seconds = newsroom_scale.fill(args.articles, progress=progress)
        print(f"articles written in {seconds:.0f} s", flush=True)
    from murasil.search.models import SearchDocument

    if not args.skip_search and SearchDocument.objects.count() < Article.objects.published().count():
        from murasil.search.index import rebuild

        print("building the search index…", flush=True)
        began = time.perf_counter()
        with transaction.atomic():
            rebuild(related=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"search index built in {time.perf_counter() - began:.0f} s", flush=True)


def pick_paths(args) -> tuple[dict[str, list[str]], int]:
    """The URLs of each row, and the id of the measured article."""
    from django.conf import settings

    from taggit.models import Tag

    from murasil.news.models import Article, SectionPage
    from murasil.news.pagination import make_cursor

    size = settings.MURASIL_PAGE_SIZE
    section = SectionPage.objects.get(slug="politics")
    articles = Article.objects.published()
    in_section = articles.filter(root_section=section).order_by("-first_published_at", "-id")
    # The page a reader reaches by pressing "older" 499 times (or the last page of a smaller archive):
    # its cursor is the last article of the page before.
    deep = max(2, min(500, in_section.count() // size))
    last_before = in_section[(deep - 1) * size - 1 : (deep - 1) * size].get()
    in_child = articles.filter(section__slug="economy-1").order_by("-first_published_at", "-id")
    article = in_child[min(200, in_child.count() - 1)]
    store_related(article)
    tag = Tag.objects.get(slug="tag-1")
    paths = {
        "article": [article.get_absolute_url()],
        "home": ["/"],
        "section page 1": [section.url],
        f"section page {deep}": [f"{section.url}?before={make_cursor(last_before)}"],
        "tag page": [f"/tag/{tag.slug}/"],
        "reporter page": ["/author/reporter-1/"],
        "RSS feed": ["/feed/"],
        "API list": ["/wp-json/wp/v2/posts"],
        # The cheapest answer Django gives (no database, no template): the ceiling for any page.
        "robots.txt": ["/robots.txt"],
    }
    if not args.skip_search:
        from murasil.search.evaluation.metrics import load

        queries = [q["query"] for q in load()["queries"]]
        paths["search"] = ["/search/?q=" + urllib.parse.quote(query) for query in queries]
        paths["search, one client"] = paths["search"]
    return paths, article.pk


def store_related(article) -> None:
    """The measured article's «مقالات ذات صلة», as publishing would have stored them."""
    from murasil.news.models import Article
    from murasil.search.models import SearchDocument

    if SearchDocument.objects.exists():
        from murasil.search.related import refresh_related

        refresh_related(article.pk, neighbours=False)
    else:
        near = Article.objects.published().filter(section=article.section).exclude(pk=article.pk)
        Article.objects.filter(pk=article.pk).update(related_ids=list(near.values_list("pk", flat=True)[:4]))


# ---------------------------------------------------------------- servers


class AppServer:
    def __init__(self, env: dict, args, page_cache: bool):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [*MURASIL, "serve", "--addr", f"127.0.0.1:{self.port}", "--no-scheduler", "--no-access-log"]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if args.serve_threads:
            command += ["--threads", str(args.serve_threads)]
        env = {**env, "MURASIL_PAGE_CACHE": "on" if page_cache else "off"}
        self.log = Path(tempfile.mkstemp(prefix="murasil-bench-serve-", suffix=".log")[1])
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=5).read()  # noqa: S310 - loopback
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("murasil serve did not start:\n" + self.log.read_text()) from None
                time.sleep(0.3)

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for master in child_pids(self.process.pid):
            for worker in child_pids(master):
                status = Path(f"/proc/{worker}/status").read_text()
                kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
                sizes.append(kb / 1024)
        return sorted(sizes)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.unlink()


def child_pids(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


class Nginx:
    """nginx with the reference configuration (one template, rendered twice: HTTPS and plain HTTP)."""

    def __init__(self, upstream: str, static_root: str):
        from murasil.core.nginx import NginxSite, render_standalone

        self.folder = Path(tempfile.mkdtemp(prefix="murasil-bench-nginx-"))
        cert, key = self.folder / "cert.pem", self.folder / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            check=True, capture_output=True,
        )  # fmt: skip
        self.https_port, self.http_port = free_port(), free_port()
        self.configs = []
        for name, tls, listen in (("tls", True, None), ("plain", False, self.http_port)):
            folder = self.folder / name
            folder.mkdir()
            site = NginxSite(
                server_names=["127.0.0.1", "localhost"],
                upstreams=[upstream],
                tls=tls,
                certificate=str(cert),
                certificate_key=str(key),
                http_listen=f"127.0.0.1:{listen or free_port()}",
                https_listen=f"127.0.0.1:{self.https_port}",
                purge_listen=f"127.0.0.1:{free_port()}",
                cache_dir=str(folder / "cache"),
                access_log=f"{folder}/access.log murasil buffer=64k flush=5s",
                static_root=static_root,
                search_rate=0,  # every benchmark request comes from one address
            )
            config = folder / "nginx.conf"
            user = "root" if os.geteuid() == 0 else ""
            config.write_text(render_standalone(site, str(folder), user=user))
            subprocess.run(["nginx", "-c", str(config), "-p", str(folder)], check=True, capture_output=True)
            self.configs.append((config, folder))
        self.https = f"https://127.0.0.1:{self.https_port}"
        self.http = f"http://127.0.0.1:{self.http_port}"

    def stop(self) -> None:
        for config, folder in self.configs:
            subprocess.run(
                ["nginx", "-c", str(config), "-p", str(folder), "-s", "stop"], check=False, capture_output=True
            )
        time.sleep(1)
        shutil.rmtree(self.folder, ignore_errors=True)


# ---------------------------------------------------------------- measuring

LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("\\nRESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"errors\\": %%d, " ..
    "\\"non2xx\\": %%d, \\"p50\\": %%d, \\"p95\\": %%d, \\"p99\\": %%d, \\"bytes\\": %%d}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.bytes))
end
"""


def wrk(base: str, paths: list[str], args, connections: int | None = None, threads: int | None = None) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % ", ".join(json.dumps(path) for path in paths))
    connections = connections or args.connections
    threads = min(threads or args.threads, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", "-H", "Accept-Encoding: gzip", "-s", str(script)]
    try:
        if args.warmup:
            subprocess.run([*command, f"-d{args.warmup}s", base + paths[0]], capture_output=True, check=True)
        output = subprocess.run(
            [*command, f"-d{args.duration}s", "--timeout", "10s", base + paths[0]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        script.unlink()
    result = json.loads(output.split("RESULT ", 1)[1])
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50": result["p50"] / 1000,
        "p95": result["p95"] / 1000,
        "p99": result["p99"] / 1000,
        "errors": result["errors"] + result["non2xx"],
        "kb": result["bytes"] / max(1, result["requests"]) / 1024,
    }


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    import ssl

    context = ssl._create_unverified_context()  # noqa: S323 - the run's own self-signed certificate
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback servers of this run
    try:
        with urllib.request.urlopen(request, timeout=60, context=context) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check_paths(base: str, paths: dict[str, list[str]]) -> None:
    for name, urls in paths.items():
        status, _, body = fetch(base + urls[0])
        assert status == 200, (name, urls[0], status)
        assert body, (name, urls[0])


def page_cache_state(base: str, path: str) -> str:
    fetch(base + path)
    _, headers, _ = fetch(base + path)
    value = headers.get("X-Cache")
    return f"active (X-Cache: {value})" if value else "not in this build (no X-Cache header)"


def page_weight(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:])
        context = browser.new_context(
            ignore_https_errors=True, viewport={"width": 412, "height": 915}, device_scale_factor=2.6, is_mobile=True
        )
        page = context.new_page()
        responses = []
        page.on("requestfinished", lambda request: responses.append(request))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)
        total, kinds = 0, {}
        for request in responses:
            sizes = request.sizes()
            transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += transferred
            kind = request.resource_type
            kinds[kind] = kinds.get(kind, 0) + transferred
        browser.close()
    return {"kb": total / 1024, "requests": len(responses), "by_type": {k: v / 1024 for k, v in sorted(kinds.items())}}


def lighthouse(url: str) -> dict:
    if not LIGHTHOUSE.exists():
        return {"error": "node_modules/.bin/lighthouse missing: run `npm ci` (./run bench does)"}
    out = Path(tempfile.mkdtemp(prefix="murasil-lighthouse-")) / "report.json"
    flags = CHROME_FLAGS + " --ignore-certificate-errors"
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={flags}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
    )
    if result.returncode or not out.exists():
        return {"error": result.stderr.strip()[-300:]}
    report = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
    audits = report["audits"]
    scores["LCP ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["TBT ms"] = round(audits["total-blocking-time"]["numericValue"])
    scores["CLS"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    return scores


# ---------------------------------------------------------------- the run


def main() -> None:
    args = parse_args()
    for tool in ("wrk",) + (() if args.skip_nginx else ("nginx", "openssl")):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is not installed: run ./run setup-bench (or bench/setup.sh)")
    env, database, admin_url = configure(args)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from murasil.news.models import Article

    build(args)
    if args.build_only:
        print(f"kept: measure it with the same command and --reuse (data dir {os.environ['MURASIL_DATA_DIR']})")
        return
    paths, article_id = pick_paths(args)
    article_path = paths["article"][0]
    if args.only:
        paths = {name: urls for name, urls in paths.items() if name in args.only}
    vendor = connection.vendor
    count = Article.objects.published().count()
    connection.close()
    results: dict = {"rows": {}, "reference": {}}
    rows = results["rows"]

    def measure(mode: str, base: str) -> None:
        for name, urls in paths.items():
            one_client = name == "search, one client"
            if one_client and mode != "uncached":
                continue
            figures = wrk(base, urls, args, connections=1 if one_client else None)
            rows.setdefault(name, {})[mode] = figures
            print(f"  {mode:<9} {name:<20} {figures['rps']:>9.0f}/s  p50 {figures['p50']:.1f} ms", flush=True)

    print(f"\n{vendor}, {count:,} published articles; wrk -t{args.threads} -c{args.connections} "
          f"-d{args.duration}s after {args.warmup} s warm-up", flush=True)  # fmt: skip
    if not args.skip_uncached:
        server = AppServer(env, args, page_cache=False)
        try:
            check_paths(server.base, paths)
            measure("uncached", server.base)
            results["rss_uncached"] = server.worker_rss_mb()
        finally:
            server.stop()
    server = AppServer(env, args, page_cache=True)
    nginx = None
    try:
        check_paths(server.base, paths)
        results["page_cache"] = page_cache_state(server.base, article_path)
        print(f"page cache: {results['page_cache']}", flush=True)
        measure("cached", server.base)
        results["rss_cached"] = server.worker_rss_mb()
        if not args.skip_nginx:
            status, _, html = fetch(server.base + article_path)
            static = Path(settings.STATIC_ROOT) / "bench"
            static.mkdir(exist_ok=True)
            (static / "article.html").write_bytes(html)
            (static / "article.html.gz").write_bytes(gzip.compress(html, 9))
            nginx = Nginx(f"127.0.0.1:{server.port}", str(settings.STATIC_ROOT))
            for label, base in (("static file, HTTP", nginx.http), ("static file, HTTPS", nginx.https)):
                results["reference"][label] = wrk(base, ["/static/bench/article.html"], args)
                print(f"  reference {label:<20} {results['reference'][label]['rps']:>9.0f}/s", flush=True)
            fetch(nginx.https + article_path)
            _, headers, _ = fetch(nginx.https + article_path)
            results["nginx_cache"] = headers.get("X-Proxy-Cache")
            print(f"nginx microcache on the article: X-Proxy-Cache {results['nginx_cache']}", flush=True)
            measure("nginx", nginx.https)
            results["rss_after_nginx"] = server.worker_rss_mb()
        if not args.skip_browser:
            url = (nginx.https if nginx else server.base) + article_path
            results["weight"] = page_weight(url)
            results["weight_home"] = page_weight((nginx.https if nginx else server.base) + "/")
            results["lighthouse"] = lighthouse(url)
    finally:
        if nginx:
            nginx.stop()
        server.stop()
    report(args, results, vendor, count)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    if not (args.keep or args.reuse):
        if database:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(os.environ["MURASIL_DATA_DIR"], ignore_errors=True)


def report(args, results: dict, vendor: str, count: int) -> None:
    reference = results["reference"]
    static_http = reference.get("static file, HTTP", {}).get("rps")
    static_https = reference.get("static file, HTTPS", {}).get("rps")
    print(f"\n## {vendor}, {count:,} articles — wrk -t{args.threads} -c{args.connections} -d{args.duration}s")
    print(f"page cache: {results.get('page_cache')}; nginx microcache: X-Proxy-Cache {results.get('nginx_cache')}")
    print("\n| page | mode | req/s | p50 ms | p95 ms | p99 ms | errors | × static |")
    print("|---|---|---|---|---|---|---|---|")
    for label, figures in reference.items():
        print(f"| nginx: article as a {label} | reference | {figures['rps']:,.0f} | {figures['p50']:.2f} | "
              f"{figures['p95']:.2f} | {figures['p99']:.2f} | {figures['errors']} | 1 |")  # fmt: skip
    for name, modes in results["rows"].items():
        for mode, figures in modes.items():
            base = static_https if mode == "nginx" else static_http
            ratio = f"{figures['rps'] / base:.3f}" if base else "–"
            where = {"uncached": "serve, cache off", "cached": "serve, cache on", "nginx": "nginx HTTPS → serve"}[mode]
            print(f"| {name} | {where} | {figures['rps']:,.0f} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
                  f"{figures['p99']:.1f} | {figures['errors']} | {ratio} |")  # fmt: skip
    for key, label in (("rss_uncached", "cache off"), ("rss_cached", "cache on"), ("rss_after_nginx", "after nginx")):
        if key in results:
            sizes = ", ".join(f"{size:.0f}" for size in results[key])
            print(f"gunicorn workers' VmRSS ({label}): {sizes} MB")
    if "weight" in results:
        for key, page in (("weight", "article"), ("weight_home", "home")):
            weight = results[key]
            parts = ", ".join(f"{kind} {kb:.1f}" for kind, kb in weight["by_type"].items())
            print(f"{page} page weight (Chromium, empty cache): {weight['kb']:.1f} KB in {weight['requests']} "
                  f"requests ({parts} KB)")  # fmt: skip
        print(f"Lighthouse (mobile), article: {results['lighthouse']}")
    print("\ntargets:")
    rows = results["rows"]

    def fig(name: str, mode: str, key: str = "rps"):
        return rows.get(name, {}).get(mode, {}).get(key)

    checks = []
    if static_http and fig("article", "cached"):
        checks.append(
            ("cached article, serve alone ≥ 0.05 × static (HTTP)", fig("article", "cached") / static_http, 0.05)
        )
    if static_https and fig("article", "nginx"):
        checks.append(("article through nginx ≥ 0.5 × static (HTTPS)", fig("article", "nginx") / static_https, 0.5))
    if fig("article", "uncached"):
        checks.append(("uncached article ≥ 200 req/s", fig("article", "uncached"), 200))
    deep = next((name for name in rows if name.startswith("section page ") and name != "section page 1"), None)
    if fig("section page 1", "uncached") and deep and fig(deep, "uncached"):
        slower = fig(deep, "uncached", "p50") / fig("section page 1", "uncached", "p50")
        checks.append((f"{deep} p50 ≤ 1.5 × page 1 (uncached)", 1.5 / slower, 1))
        print(f"  {deep} / page 1, uncached p50: {slower:.2f}×")
    if fig("search, one client", "uncached", "p95"):
        p95 = fig("search, one client", "uncached", "p95")
        checks.append(("search p95 ≤ 50 ms, one client (uncached)", 50 / p95, 1))
        print(f"  search p95, one client: {p95:.1f} ms")
    if "weight" in results:
        checks.append(("article page weight ≤ 100 KB", 100 / results["weight"]["kb"], 1))
    for label, value, goal in checks:
        shown = f"{value:.3f}" if value < 10 else f"{value:,.0f}"
        print(f"  {'met    ' if value >= goal else 'NOT met'} {label}: {shown}")


if __name__ == "__main__":
    main()
