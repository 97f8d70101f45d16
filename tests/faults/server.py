"""A real `murasil serve` in a subprocess, for tests that break what the server depends on."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
MURASIL = [sys.executable, "-m", "murasil"]


def base_env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"MURASIL_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "murasil.settings.local"})
    env.update(extra)
    return env


def get(url: str, timeout: float = 30, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@contextmanager
def served(env: dict, log_path: Path, workers: int = 1):
    """Start `murasil serve` (no scheduler), wait until robots.txt answers, yield its base URL, stop it."""
    port = free_port()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*MURASIL, "serve", "--addr", f"127.0.0.1:{port}", "--workers", str(workers), "--no-scheduler"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    urllib.request.urlopen(base + "/robots.txt", timeout=5).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"murasil serve did not start:\n{log_path.read_text()[-3000:]}") from None
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)
