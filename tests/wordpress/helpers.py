"""Shared by the importer tests: the fixture export, a media folder for it, and running an import."""

import os
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from murasil.wordpress.importer import Importer

FIXTURES = Path(__file__).parent / "fixtures"
NEWSROOM = FIXTURES / "newsroom.xml"
REPO = Path(__file__).resolve().parents[2]


def media_folder() -> Path:
    """wp-content/uploads for newsroom.xml: two of its three attachments (lost.jpg stays missing)."""
    root = Path(tempfile.mkdtemp(prefix="murasil-wp-media-"))
    (root / "2025" / "03").mkdir(parents=True)
    Image.new("RGB", (120, 80), (30, 90, 160)).save(root / "2025" / "03" / "dam.jpg")
    Image.new("RGB", (100, 60), (200, 160, 40)).save(root / "2025" / "03" / "market.png")
    return root


def run_import(path: Path = NEWSROOM, media: Path | None = None, **options):
    importer = Importer(path, media=media, **options)
    return importer, importer.run()


def wordpress_testdata() -> Path:
    """WordPress's own theme test data (../shared/testdata/wordpress): CI must have it."""
    candidates = [
        os.environ.get("MURASIL_WP_TESTDATA", ""),
        REPO.parent / "shared" / "testdata" / "wordpress",
        Path("/work/shared/testdata/wordpress"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "themeunittestdata.wordpress.xml").is_file():
            return Path(candidate)
    if os.environ.get("CI") == "true":
        pytest.fail("WordPress's theme test data is missing: set MURASIL_WP_TESTDATA to its folder")
    pytest.skip("WordPress's theme test data is not on this machine (set MURASIL_WP_TESTDATA)")
