"""Production refuses to start without real secrets; the embedded default makes and keeps its own key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(settings_module: str, tmp_path: Path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    clean.update({"DJANGO_SETTINGS_MODULE": settings_module, "MURASIL_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "murasil", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_check("murasil.settings.production", tmp_path, ALLOWED_HOSTS="news.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("weak", ["short", "django-insecure-" + "x" * 40, "a" * 60])
def test_production_refuses_weak_secret_key(tmp_path, weak):
    result = run_check("murasil.settings.production", tmp_path, ALLOWED_HOSTS="news.example", SECRET_KEY=weak)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_requires_allowed_hosts(tmp_path):
    result = run_check("murasil.settings.production", tmp_path, SECRET_KEY="k" + "3f9Zq-Lm2wX8pT1vB7nC4yR6uE0aS5dG" * 2)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_real_settings(tmp_path):
    result = run_check(
        "murasil.settings.production",
        tmp_path,
        SECRET_KEY="3f9Zq-Lm2wX8pT1vB7nC4yR6uE0aS5dG" * 2,
        ALLOWED_HOSTS="news.example",
    )
    assert result.returncode == 0, result.stderr


def test_local_settings_generate_and_keep_a_secret_key(tmp_path):
    assert run_check("murasil.settings.local", tmp_path).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert run_check("murasil.settings.local", tmp_path).returncode == 0
    assert key_file.read_text() == first


def test_bad_environment_value_is_a_plain_error(tmp_path):
    result = run_check("murasil.settings.local", tmp_path, DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_a_command_prints_only_its_own_output(tmp_path):
    result = run_check("murasil.settings.local", tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == "", result.stderr
