"""The embedded default (demo, development): SQLite in the data dir and a secret key kept there."""

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR
from .env import env_str


def _stored_secret_key() -> str:
    """The demo generates its own key once and keeps it, so sessions survive restarts."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _stored_secret_key()
