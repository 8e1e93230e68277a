"""Vietnamese first (the brief): every message of the Vietnamese catalogue has its translation,
plural forms included, and none is left fuzzy (which gettext would ignore), so no English
sentence shows through on a Vietnamese page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
KEY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def entries(text: str) -> list[dict[str, str]]:
    """The catalogue's entries: each key (msgid, msgstr[0], ...) with its joined text, and its
    flags; obsolete entries (#~) left out."""
    found: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if current:
                found.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif match := KEY.match(line):
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return [entry for entry in found if entry.get("msgid")]  # the header has an empty msgid


def test_every_message_has_its_vietnamese_translation():
    catalogue = entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(catalogue) > 1000
    missing = [
        entry["msgid"]
        for entry in catalogue
        if not any(text for key, text in entry.items() if key.startswith("msgstr"))
        or any(not text for key, text in entry.items() if key.startswith("msgstr"))
    ]
    assert missing == []
    assert [entry["msgid"] for entry in catalogue if "fuzzy" in entry.get("flags", "")] == []
