"""WordPress permalink structures: guessing one from an export, and reading old paths with it.

A structure is what WordPress's Settings › Permalinks holds, e.g. "/%year%/%monthnum%/%postname%/".
"""

import re
from collections import Counter
from urllib.parse import unquote, urlsplit

TAG_PATTERNS = {
    "%year%": r"(?P<year>\d{4})",
    "%monthnum%": r"(?P<monthnum>\d{1,2})",
    "%day%": r"(?P<day>\d{1,2})",
    "%hour%": r"(?P<hour>\d{1,2})",
    "%minute%": r"(?P<minute>\d{1,2})",
    "%second%": r"(?P<second>\d{1,2})",
    "%post_id%": r"(?P<post_id>\d+)",
    "%postname%": r"(?P<postname>[^/]+)",
    "%category%": r"(?P<category>.+?)",
    "%author%": r"(?P<author>[^/]+)",
}


def normalize_path(path: str) -> str:
    """Percent-decoded, without the trailing slash (WordPress answers both), "" for the root."""
    path = unquote(path or "").strip()
    if not path.startswith("/"):
        path = "/" + path
    return path.rstrip("/")


def path_of(link: str) -> str:
    return normalize_path(urlsplit(link).path) if link else ""


def structure_regex(structure: str) -> re.Pattern | None:
    """A regex for paths built with `structure`, or None for plain (?p=123) permalinks."""
    structure = normalize_path(structure)
    if not structure or "%" not in structure:
        return None
    pattern = re.escape(structure)
    for tag, regex in TAG_PATTERNS.items():
        pattern = pattern.replace(re.escape(tag), regex, 1)
    pattern = re.sub(r"%[a-z_]+%", r"[^/]+", pattern)  # tags of plugins: any one segment
    return re.compile(f"^{pattern}$")


def guess_structure(samples: list[tuple[str, str, int, str, str]]) -> str:
    """The most common structure behind sample posts.

    Each sample: (link, slug, post id, local date "YYYY-MM-DD HH:MM:SS", category slug path).
    """
    votes: Counter = Counter()
    for link, slug, post_id, date, category in samples:
        parts = urlsplit(link)
        if not parts.path.strip("/") and "p=" in parts.query:
            votes[""] += 1
            continue
        segments = [unquote(s) for s in parts.path.strip("/").split("/")]
        year, month, day = date[:4], date[5:7], date[8:10]
        out = []
        for segment in segments:
            if slug and segment == slug:
                out.append("%postname%")
            elif segment == str(post_id):
                out.append("%post_id%")
            elif segment == year:
                out.append("%year%")
            elif segment == month and "%year%" in out:
                out.append("%monthnum%")
            elif segment == day and "%monthnum%" in out:
                out.append("%day%")
            else:
                out.append(segment)
        text = "/" + "/".join(out) + "/"
        if category and category.strip("/"):
            text = text.replace("/" + category.strip("/") + "/", "/%category%/", 1)
        if "%postname%" in text or "%post_id%" in text:
            votes[text] += 1
    return votes.most_common(1)[0][0] if votes else ""
