"""`murasil serve`: the production server (gunicorn), with static files collected and scheduled publishing.

Gunicorn runs as a child process; this process stays as a small supervisor that publishes scheduled
articles every minute (Wagtail's `publish_scheduled`) and passes signals on, so one command is a
complete server for the embedded default. With several app servers, run it with --no-scheduler on all
but one of them. A second child, the background worker, makes photo renditions queued on upload and
publish (murasil/images/tasks.py), at a lower CPU priority than the web workers; --no-worker leaves
that to a worker run elsewhere.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from murasil.core.site_url import sync_default_site

SCHEDULE_EVERY = 60  # seconds


class Command(BaseCommand):
    help = "Run Murasil's production web server (gunicorn) with static files and scheduled publishing."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to listen on (default 127.0.0.1:8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=max(2, (os.cpu_count() or 1) + 1),
            help="Worker processes (default: CPU count + 1)",
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run scheduled publishing here")
        parser.add_argument("--no-worker", action="store_true", help="Do not run the background worker here")

    def handle(self, *args, **options):
        if ":" not in options["addr"]:
            raise CommandError(f"--addr must be HOST:PORT, for example 127.0.0.1:8000 (got {options['addr']!r}).")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        call_command("collectstatic", interactive=False, verbosity=0)
        sync_default_site()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "murasil.wsgi:application",
            "--bind",
            options["addr"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--timeout",
            "60",
            # Several servers may run on one machine (demo, benchmarks); they must not share a socket.
            "--no-control-socket",
        ]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE),
        }
        self.stdout.write(f"Serving on http://{options['addr']}/ with {options['workers']} workers (Ctrl+C stops).")
        server = subprocess.Popen(command, env=env)  # noqa: S603 - fixed argument list, no shell
        worker = None if options["no_worker"] else start_worker(env)

        def stop(signum, frame):
            server.send_signal(signal.SIGTERM)
            if worker and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run = 0.0
        while server.poll() is None:
            if not options["no_scheduler"] and time.monotonic() >= next_run:
                next_run = time.monotonic() + SCHEDULE_EVERY
                try:
                    call_command("publish_scheduled", verbosity=0)
                except Exception as error:  # noqa: BLE001 - a failed run must not stop the server
                    self.stderr.write(f"Scheduled publishing failed: {error}")
            if worker and worker.poll() is not None and time.monotonic() - worker.started > 10:
                self.stderr.write(f"The background worker stopped (exit {worker.returncode}); starting it again.")
                worker = start_worker(env)
            time.sleep(1)
        if worker and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        sys.exit(server.returncode or 0)


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
