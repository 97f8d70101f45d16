"""Gunicorn hooks for `murasil serve` (loaded with `-c python:murasil.core.gunicorn_hooks`).

A worker marks itself ready once it has imported the application, so a reload can wait for the new
workers before it retires the old ones (see serve.py).
"""

import os
from pathlib import Path

READY_DIR_VARIABLE = "MURASIL_GUNICORN_READY_DIR"


def _marker(pid: int) -> Path | None:
    folder = os.environ.get(READY_DIR_VARIABLE)
    return Path(folder) / str(pid) if folder else None


def post_worker_init(worker) -> None:
    # Django imports the URLconf on the first request; do it now, before the worker counts as ready.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loading it is the point
    marker = _marker(os.getpid())
    if marker:
        marker.touch()


def worker_exit(server, worker) -> None:
    marker = _marker(worker.pid)
    if marker:
        marker.unlink(missing_ok=True)
