"""A migrated SQLite site, made once per run, that backup tests copy into data folders of their own."""

from pathlib import Path

import pytest

from tests.faults.server import base_env

from .helpers import murasil


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("migrated-site")
    murasil(["migrate", "-v0"], base_env(folder))
    return folder / "murasil.sqlite3"
