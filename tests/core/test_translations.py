"""Every reader- and editor-facing string has its Arabic translation, and the compiled catalog is current."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "murasil" / "locale" / "ar" / "LC_MESSAGES"


def entries():
    return [e for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete and e.msgid]


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in entries() if "fuzzy" in e.flags or not e.translated()]
    assert untranslated == []


def test_compiled_catalog_matches_the_po_file():
    """Fails when someone edits django.po and forgets `murasil compilemessages`."""
    with open(LOCALE / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries():
        if entry.msgid_plural:
            if catalog.ngettext(entry.msgid, entry.msgid_plural, 2) != entry.msgstr_plural[2]:
                stale.append(entry.msgid)
        elif entry.msgctxt:  # the same English word in another sense, e.g. "Live" (published / live coverage)
            if catalog.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr:
                stale.append(entry.msgid)
        elif catalog.gettext(entry.msgid) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == []
