"""`murasil serve`: the production server (gunicorn), with static files collected and scheduled publishing.

Gunicorn runs as a child process; this process stays as a small supervisor that publishes scheduled
articles every minute (Wagtail's `publish_scheduled`) and passes signals on, so one command is a
complete server for the embedded default. With several app servers, run it with --no-scheduler on all
but one of them. A second child, the background worker, makes photo renditions queued on upload and
publish (murasil/images/tasks.py), at a lower CPU priority than the web workers; --no-worker leaves
that to a worker run elsewhere.

Signals (to this process, e.g. `systemctl reload` / `kill -HUP`):
  HUP   reload: collect static files and run Django's checks with the code now on disk (if that fails,
        nothing changes), start as many new workers (TTIN), wait until they have loaded the new code,
        then retire the old ones (TTOU), which finish their requests first. No request is refused or
        waits for a worker to boot.
  TERM  graceful stop: workers finish their requests (up to --graceful-timeout seconds).
  INT   the same (Ctrl+C).
  USR1  gunicorn reopens its log files (after logrotate moved them).
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from murasil.core.gunicorn_hooks import READY_DIR_VARIABLE
from murasil.core.site_url import sync_default_site
from murasil.readership.counters import run_from_scheduler as readership_flush

SCHEDULE_EVERY = 60  # seconds
RELOAD_WAIT = 120  # seconds new workers get to load the application before the old ones go anyway
# One line per request: client (as nginx forwarded it, then the peer), time, request, status, bytes,
# duration in milliseconds, referrer, user agent.
ACCESS_LOG_FORMAT = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


FINGERPRINT_FILE = ".murasil-collected"
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - gunicorn's heartbeat files, created by gunicorn itself


def static_fingerprint() -> str:
    """Names, sizes and times of every source static file: what collectstatic's output depends on."""
    digest = hashlib.sha256(f"{settings.STORAGES['staticfiles']['BACKEND']}\0{settings.STATIC_URL}\n".encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collect_static() -> bool:
    """Run collectstatic unless the sources are unchanged since the last run; True if it ran.

    Hashing and compressing every file takes 15 s of CPU here, at every start and reload otherwise.
    """
    marker = Path(settings.STATIC_ROOT) / FINGERPRINT_FILE
    fingerprint = static_fingerprint()
    if marker.exists() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    return True


def default_workers() -> int:
    # Measured with wrk on 2 cores (docs/performance.md): gthread workers, one per core plus one, with
    # a few threads each, keep connections alive and absorb database waits; more processes only add memory.
    return (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Run Murasil's production web server (gunicorn) with static files and scheduled publishing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr",
            default="127.0.0.1:8000",
            help="HOST:PORT or unix:/path/to.sock to listen on (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="worker processes (default: CPU count + 1)"
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4; 1 = sync workers)")
        parser.add_argument(
            "--timeout", type=int, default=30, help="seconds a request may take before its worker is restarted"
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help="seconds workers get to finish their requests on reload or stop (default 30)",
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=5,
            help="seconds an idle keep-alive connection stays open (default 5; keep it above nginx's upstream "
            "keepalive_timeout)",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=0,
            help="restart a worker after this many requests (with 10%% jitter); 0 = never (default)",
        )
        logs = parser.add_mutually_exclusive_group()
        logs.add_argument(
            "--access-log", default="-", metavar="FILE", help="where the access log goes (default: standard output)"
        )
        logs.add_argument("--no-access-log", action="store_true", help="no access log (benchmarks)")
        parser.add_argument("--error-log", default="-", metavar="FILE", help="gunicorn's own log (default: stderr)")
        parser.add_argument("--no-scheduler", action="store_true", help="do not run scheduled publishing here")
        parser.add_argument("--no-worker", action="store_true", help="do not run the background worker here")
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="collect static files (when they changed), run Django's system checks and exit",
        )

    def handle(self, *args, **options) -> None:
        addr = options["addr"]
        if not addr.startswith("unix:") and ":" not in addr:
            raise CommandError(f"--addr must be HOST:PORT or unix:PATH, for example 127.0.0.1:8000 (got {addr!r}).")
        for name, least in (("workers", 1), ("threads", 1), ("timeout", 1), ("graceful_timeout", 0)):
            if options[name] < least:
                raise CommandError(f"--{name.replace('_', '-')} must be at least {least}.")
        if options["keep_alive"] < 0 or options["max_requests"] < 0:
            raise CommandError("--keep-alive and --max-requests cannot be negative.")
        collect_static()
        if options["prepare_only"]:
            call_command("check")
            return
        sync_default_site()
        # The supervisor keeps no database connection between its jobs: an idle one holds a server
        # slot (PostgreSQL) or a shared lock (SQLite) for the life of the server.
        connections.close_all()
        ready_dir = tempfile.mkdtemp(prefix="murasil-serve-")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE),
            READY_DIR_VARIABLE: ready_dir,
        }
        server = subprocess.Popen(self.gunicorn_command(options), env=env)  # noqa: S603 - fixed argument list
        kind = f"{options['threads']} threads each" if options["threads"] > 1 else "sync"
        self.stdout.write(
            f"Serving on {addr} with {options['workers']} workers ({kind}); Ctrl+C stops, SIGHUP reloads.",
        )
        self.worker = None if options["no_worker"] else start_worker(env)
        try:
            self.supervise(server, scheduler=not options["no_scheduler"], env=env, ready_dir=Path(ready_dir))
        finally:
            shutil.rmtree(ready_dir, ignore_errors=True)
            if self.worker and self.worker.poll() is None:
                self.worker.terminate()
                self.worker.wait(timeout=30)

    def gunicorn_command(self, options: dict) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "murasil.wsgi:application",
            "--config",
            "python:murasil.core.gunicorn_hooks",
            "--bind",
            options["addr"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            str(options["graceful_timeout"]),
            "--keep-alive",
            str(options["keep_alive"]),
            "--error-logfile",
            options["error_log"],
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # Several servers may run on one machine (demo, benchmarks); they must not share a socket.
            "--no-control-socket",
        ]
        if options["threads"] > 1:
            # Sync workers close the connection after every response; gthread keeps it alive, which
            # clients without nginx in front (and nginx's upstream keepalive) rely on.
            command += ["--worker-class", "gthread", "--threads", str(options["threads"])]
        if not options["no_access_log"]:
            command += ["--access-logfile", options["access_log"], "--access-logformat", ACCESS_LOG_FORMAT]
        if options["max_requests"]:
            command += ["--max-requests", str(options["max_requests"])]
            command += ["--max-requests-jitter", str(max(1, options["max_requests"] // 10))]
        if os.path.isdir(SHARED_MEMORY):
            # The workers' heartbeat file: on a disk that stalls, gunicorn would kill healthy workers.
            command += ["--worker-tmp-dir", SHARED_MEMORY]
        return command

    def supervise(self, server: subprocess.Popen, scheduler: bool, env: dict, ready_dir: Path) -> None:
        pending: list[int] = []

        def remember(signum, frame):
            pending.append(signum)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
            signal.signal(signum, remember)
        next_run = 0.0
        while server.poll() is None:
            while pending:
                signum = pending.pop(0)
                if signum == signal.SIGHUP:
                    self.reload(server, env, ready_dir)
                elif signum == signal.SIGUSR1:
                    server.send_signal(signal.SIGUSR1)
                else:
                    server.send_signal(signal.SIGTERM)
                    if self.worker and self.worker.poll() is None:
                        self.worker.send_signal(signal.SIGTERM)
            if scheduler and time.monotonic() >= next_run:
                next_run = time.monotonic() + SCHEDULE_EVERY
                try:
                    call_command("publish_scheduled", verbosity=0)
                except Exception as error:  # noqa: BLE001 - a failed run must not stop the server
                    self.stderr.write(f"Scheduled publishing failed: {error}")
                # Readership: write the article views counted by the app servers (murasil/readership).
                readership_flush(self.stderr.write)
                # Hold no idle connection between runs (a database restart would leave it broken).
                connections.close_all()
            worker = self.worker
            if worker and worker.poll() is not None and not pending and time.monotonic() - worker.started > 10:
                self.stderr.write(f"The background worker stopped (exit {worker.returncode}); starting it again.")
                self.worker = start_worker(env)
            time.sleep(0.5)
        sys.exit(server.returncode or 0)

    def reload(self, server: subprocess.Popen, env: dict, ready_dir: Path) -> None:
        # A new process, so that an upgraded package's static files and checks are the ones run; the
        # workers started next import the new code too. On failure the old workers keep serving.
        prepared = subprocess.run([sys.executable, "-m", "murasil", "serve", "--prepare-only"], env=env, check=False)
        if prepared.returncode:
            self.stderr.write("Reload cancelled: the new code failed its checks; the running workers keep serving.")
            return
        old = child_pids(server.pid)
        self.stdout.write(f"Reloading: starting {len(old)} new workers.")
        # Gunicorn queues at most five signals, so one at a time, each acknowledged by a new process.
        for count in range(1, len(old) + 1):
            server.send_signal(signal.SIGTTIN)
            wait_until(lambda count=count: len(child_pids(server.pid) - old) >= count, seconds=10)
        if not wait_until(
            lambda: sum((ready_dir / str(pid)).exists() for pid in child_pids(server.pid) - old) >= len(old),
            seconds=RELOAD_WAIT,
        ):
            self.stderr.write("New workers are slow to load the application; retiring the old ones anyway.")
        for _ in old:
            server.send_signal(signal.SIGTTOU)  # gunicorn retires the oldest worker, gracefully
            time.sleep(0.2)
        self.stdout.write("Reloaded: the old workers finish their requests and exit.")


def child_pids(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name in parentheses may hold spaces; the parent pid is the second field after it.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def start_worker(env: dict) -> subprocess.Popen | None:
    """The django-tasks-db worker for the queued renditions, when that backend is configured."""
    from murasil.images.tasks import BACKEND, QUEUE

    if "django_tasks_db" not in settings.TASKS.get(BACKEND, {}).get("BACKEND", ""):
        return None
    command = [sys.executable, "-m", "murasil", "db_worker", "--backend", BACKEND, "--queue-name", QUEUE]
    # Encoding AVIF is CPU-heavy: readers' requests come first.
    worker = subprocess.Popen(command, env=env, preexec_fn=lambda: os.nice(10))  # noqa: S603
    worker.started = time.monotonic()
    return worker
