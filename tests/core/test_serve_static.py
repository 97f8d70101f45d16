"""`murasil serve` collects static files only when a source file changed (a full collect costs ~15 s of CPU)."""

import os
import time

from django.test import override_settings

from murasil.core.management.commands.serve import FINGERPRINT_FILE, collect_static


def test_collects_once_then_only_after_a_change(tmp_path):
    sources, root = tmp_path / "sources", tmp_path / "static"
    sources.mkdir()
    style = sources / "extra.css"
    style.write_text("body { margin: 0; }")
    with override_settings(STATICFILES_DIRS=[str(sources)], STATIC_ROOT=str(root)):
        assert collect_static() is True
        assert (root / "extra.css").read_text() == "body { margin: 0; }"
        assert (root / FINGERPRINT_FILE).exists()
        assert collect_static() is False, "nothing changed, yet it collected again"

        style.write_text("body { margin: 1rem; }")
        later = time.time() + 5
        os.utime(style, (later, later))
        assert collect_static() is True
        assert (root / "extra.css").read_text() == "body { margin: 1rem; }"

        (sources / "new.js").write_text("console.log(1);")
        assert collect_static() is True
        assert (root / "new.js").exists()

        (root / FINGERPRINT_FILE).unlink()  # a wiped or half-copied folder is collected anew
        assert collect_static() is True
