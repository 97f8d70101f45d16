"""Arabic text analysis, the same at index time and at query time, on every database.

Three forms of every word:
- `norm`: the word normalized (harakat, tatweel, hamza seats, ى/ي, ة/ه, digits, ligatures folded);
- `word`: `norm` without its proclitics (و, and the article ال with its prepositions: بال كال فال لل);
- `stem`: `word` with Larkey's light10 suffixes removed.

Documents are indexed by `word` and `stem`; a query matches either, and a `word` match ranks higher.
light10 is the stemmer inside Lucene's Arabic analyzer and scored best on the evaluation in
DESIGN.md (Larkey, Ballesteros & Connell, "Light Stemming for Arabic Information Retrieval", 2007).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")  # tanween, fatha…sukun, shadda, dagger alef, Quranic marks
TATWEEL = "\u0640"
FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "٫": ".",
        "٬": ",",
    }
)  # fmt: skip
# A word: letters and digits, with any harakat or tatweel inside it (Python's \w leaves those out).
WORD = re.compile(r"(?:[^\W_]|[\u064b-\u065f\u0670\u06d6-\u06ed\u0640])+", re.UNICODE)

ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")  # light10's list after ة→ه and ية→يه folding

# Function words dropped from unquoted queries (never from the index, which would break phrases).
STOP_WORDS = frozenset(
    [
        "في",
        "من",
        "على",
        "الى",
        "عن",
        "مع",
        "او",
        "ام",
        "ثم",
        "حتى",
        "اذا",
        "اذ",
        "ان",
        "انه",
        "انها",
        "ما",
        "ماذا",
        "لا",
        "لم",
        "لن",
        "قد",
        "كان",
        "كانت",
        "يكون",
        "تكون",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "هناك",
        "هنا",
        "الذي",
        "التي",
        "الذين",
        "اللذان",
        "اللتان",
        "اللواتي",
        "كل",
        "بعض",
        "غير",
        "بين",
        "عند",
        "لدى",
        "منذ",
        "خلال",
        "بعد",
        "قبل",
        "حول",
        "ضد",
        "نحو",
        "عبر",
        "هو",
        "هي",
        "هم",
        "هن",
        "نحن",
        "انا",
        "انت",
        "كما",
        "لكن",
        "بل",
        "ايضا",
        "فقط",
        "و",
        "ف",
        "ب",
        "ل",
        "ك",
        "به",
        "بها",
        "له",
        "لها",
        "فيه",
        "فيها",
        "منه",
        "منها",
        "عليه",
        "عليها",
        "اليه",
        "اليها",
        "عنه",
        "عنها",
    ]
)


ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")  # Latin letters with accents


def normalize(text: str) -> str:
    """Fold the ways one Arabic word is written into one form; Latin is lower-cased without accents."""
    text = unicodedata.normalize("NFKC", text)  # presentation forms and lam-alef ligatures → letters
    text = HARAKAT.sub("", text).replace(TATWEEL, "").translate(FOLD)
    if ACCENTED.search(text):  # the per-character pass only where it can change something
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.lower()


def strip_proclitics(word: str, conjunction: bool = True) -> str:
    if conjunction and word.startswith("و") and len(word) - 1 >= 3:
        word = word[1:]
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


def light_stem(word: str) -> str:
    """light10's suffix step on a word whose proclitics are already gone."""
    if not _is_arabic(word):
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in word)


@dataclass(frozen=True)
class Token:
    surface: str  # as written in the text
    start: int  # offset in the original text
    norm: str
    word: str
    stem: str
    # light10 takes a leading و for "and"; when it belongs to the word (وزارة) the forms
    # without that step are what another spelling (الوزارة) reduces to, so both are kept.
    alt: str = ""
    alt_stem: str = ""

    @property
    def forms(self) -> set[str]:
        return {self.word, self.stem, self.alt or self.word, self.alt_stem or self.stem}


@lru_cache(maxsize=200_000)
def word_forms(piece: str) -> frozenset[str]:
    """Every form one normalized word is indexed under (a news archive repeats a small vocabulary)."""
    if not _is_arabic(piece):
        return frozenset({piece})
    word, alt = strip_proclitics(piece), strip_proclitics(piece, conjunction=False)
    return frozenset({word, light_stem(word), alt, light_stem(alt)})


@lru_cache(maxsize=200_000)
def exact_word(piece: str) -> str:
    return strip_proclitics(piece) if _is_arabic(piece) else piece


def index_forms(text: str) -> list[tuple[str, frozenset[str]]]:
    """(exact word, all forms) for every word of `text`: the indexing fast path (no offsets kept)."""
    return [(exact_word(piece), word_forms(piece)) for piece in WORD.findall(normalize(text))]


@lru_cache(maxsize=200_000)
def analyze_word(surface: str) -> tuple[tuple[str, str, str, str, str], ...]:
    """(norm, word, stem, alt, alt_stem) for each piece of one written word; the same words recur
    in every article, so snippets and related lists mostly find them here."""
    pieces = []
    # Normalization can leave several pieces (a ligature, a stray mark) or none (only harakat).
    for piece in WORD.findall(normalize(surface)):
        if _is_arabic(piece):
            word, alt = strip_proclitics(piece), strip_proclitics(piece, conjunction=False)
        else:
            word = alt = piece
        pieces.append((piece, word, light_stem(word), alt, light_stem(alt)))
    return tuple(pieces)


def tokens(text: str) -> list[Token]:
    """The words of `text` with their three forms and their place in the original text."""
    result = []
    for match in WORD.finditer(text):
        surface, start = match.group(), match.start()
        for piece, word, stem, alt, alt_stem in analyze_word(surface):
            result.append(Token(surface, start, piece, word, stem, alt, alt_stem))
    return result


@dataclass
class QueryTerm:
    words: tuple[str, ...]  # one word, or the words of a quoted phrase in order
    forms: frozenset[str]  # for a single word: every form it may be indexed under
    phrase: bool


QUOTED = re.compile(r'"([^"]+)"|«([^»]+)»')


def parse_query(query: str) -> list[QueryTerm]:
    """Quoted phrases stay whole; other words are single terms, stop words dropped (unless that is all)."""
    terms: list[QueryTerm] = []
    for match in QUOTED.finditer(query):
        parts = tokens(match.group(1) or match.group(2))
        if len(parts) > 1:
            terms.append(QueryTerm(tuple(t.word for t in parts), frozenset(), phrase=True))
        elif parts:
            terms.append(QueryTerm((parts[0].word,), frozenset(parts[0].forms), phrase=False))
    rest = QUOTED.sub(" ", query)
    singles = [QueryTerm((t.word,), frozenset(t.forms), phrase=False) for t in tokens(rest)]
    content = [t for t in singles if t.words[0] not in STOP_WORDS]
    terms.extend(content or singles)
    # The same word twice adds nothing.
    unique, seen = [], set()
    for term in terms:
        if term.words not in seen:
            seen.add(term.words)
            unique.append(term)
    return unique
