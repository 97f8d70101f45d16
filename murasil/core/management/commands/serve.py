"""`murasil serve`: the production server (gunicorn), with static files collected and scheduled publishing.

Gunicorn runs as a child process; this process stays as a small supervisor that publishes scheduled
articles every minute (Wagtail's `publish_scheduled`) and passes signals on, so one command is a
complete server for the embedded default. With several app servers, run it with --no-scheduler on all
but one of them.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from murasil.core.site_url import sync_default_site
from murasil.readership.counters import run_from_scheduler as readership_flush

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
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="Threads per worker (default 4); threaded workers keep connections alive between requests",
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run scheduled publishing here")

    def handle(self, *args, **options):
        if ":" not in options["addr"]:
            raise CommandError(f"--addr must be HOST:PORT, for example 127.0.0.1:8000 (got {options['addr']!r}).")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if options["threads"] < 1:
            raise CommandError("--threads must be at least 1.")
        call_command("collectstatic", interactive=False, verbosity=0)
        sync_default_site()
        # The supervisor keeps no database connection between its jobs: an idle one holds a server
        # slot (PostgreSQL) or a shared lock (SQLite) for the life of the server.
        connections.close_all()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "murasil.wsgi:application",
            "--bind",
            options["addr"],
            "--workers",
            str(options["workers"]),
            # Threaded workers keep connections alive (sync workers close each one): a cached page
            # served over a kept connection costs about half as much (docs/performance.md).
            "--worker-class",
            "gthread",
            "--threads",
            str(options["threads"]),
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
        self.stdout.write(
            f"Serving on http://{options['addr']}/ with {options['workers']} workers of {options['threads']} threads"
            " (Ctrl+C stops)."
        )
        server = subprocess.Popen(command, env=env)  # noqa: S603 - fixed argument list, no shell

        def stop(signum, frame):
            server.send_signal(signal.SIGTERM)

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
                # Readership: write the article views counted by the app servers (murasil/readership).
                readership_flush(self.stderr.write)
                # Hold no idle connection between runs (a database restart would leave it broken).
                connections.close_all()
            time.sleep(1)
        sys.exit(server.returncode or 0)
