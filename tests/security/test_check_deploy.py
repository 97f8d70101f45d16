"""`murasil check --deploy` under the production settings, with what a real deployment sets."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
ASYNC_UNSAFE = ("DJANGO_ALLOW_ASYNC_UNSAFE",)  # set for the browser tests; refused by the deploy check
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "murasil.settings.production",
    "SECRET_KEY": "Zq3v-8Lw_pT2mXc9RkY4bN7hJs1eGfA6dU0oWiE5yHrK-mQ7tVx2Pc",
    "ALLOWED_HOSTS": "news.example.org",
    "MURASIL_SITE_URL": "https://news.example.org",
}


def check_deploy(tmp: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "MURASIL_HTTPS", "MURASIL_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV, MURASIL_DATA_DIR=str(tmp), **extra)
    command = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


class TestCheckDeploy(SimpleTestCase):
    def test_production_settings_pass_every_deploy_check(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            result = check_deploy(Path(tmp))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_the_check_does_fail_on_an_insecure_setting(self):
        # Guards the test above: a plain-HTTP trial must be reported (no HSTS, no secure cookies).
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            result = check_deploy(Path(tmp), MURASIL_HTTPS="false")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W004", result.stdout + result.stderr)
