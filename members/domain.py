"""Pure rules of the register: shares, name folding and sorting, age bands, tree paths.

Values in, values out; only the standard library. The same functions serve the pages, the API,
the exports and the tests, so a figure is computed in exactly one place.
"""

import itertools
import math
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded to one decimal, half up.

    Python's round() rounds half to even, and floats cannot hold 49.25 exactly, so the share is
    computed in Decimal: 91 of 185 is 49.189... -> 49.2. An empty whole has no share (None),
    which is not the same as 0 %.
    """
    if whole < 0 or part < 0:
        raise ValueError("counts cannot be negative")
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    """Members of a branch's whole subtree on one day. Members of unknown gender count as
    members, not as women (and not as men)."""

    members: int = 0
    women: int = 0
    unknown: int = 0

    @property
    def men(self) -> int:
        return self.members - self.women - self.unknown

    @property
    def women_share(self) -> Decimal | None:
        return share(self.women, self.members)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.members + other.members, self.women + other.women, self.unknown + other.unknown
        )

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(
            self.members - other.members, self.women - other.women, self.unknown - other.unknown
        )


# --- Tree paths (django-treebeard materialized paths, fixed-width steps) --------------------

PATH_STEP = 4
PATH_END = "~"  # sorts after every character of treebeard's alphabet (0-9, A-Z)


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range [low, high) of paths in the subtree of `path`: a prefix filter
    written as a range, which both SQLite and PostgreSQL (in the C collation) serve from the
    path index, unlike LIKE 'P%'."""
    return path, path + PATH_END


def ancestor_paths(path: str, step: int = PATH_STEP) -> list[str]:
    """Paths of the node and every ancestor of it, root first."""
    return [path[:end] for end in range(step, len(path) + 1, step)]


def parent_path(path: str, step: int = PATH_STEP) -> str | None:
    """Path of the node's parent; None for a root."""
    return path[:-step] if len(path) > step else None


def is_in_subtree(path: str, root_path: str) -> bool:
    return path.startswith(root_path)


# --- Vietnamese names: folding for search, ordering for lists -------------------------------

_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_MODIFIERS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
# The Vietnamese alphabet in order, with f, j, w, z placed as in the Latin alphabet for
# names of other origins. Each letter becomes one character so that plain byte order of the
# key (SQLite's BINARY, PostgreSQL's "C") is Vietnamese order.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip # the alphabet in its order
_RANK = {letter: chr(0x41 + index) for index, letter in enumerate(_ALPHABET)}
_COMPOSE = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}


def clean_name(text: str) -> str:
    """A name as stored and as searched, so that the name typed is the name found.

    - Invisible format characters (Unicode category Cf: zero-width space, joiners, soft hyphen,
      byte-order mark, word joiner, bidirectional marks) are removed: pasted from a web page or
      a spreadsheet, they split a word that looks whole ("Ngu\u200byễn").
    - Full-width and other compatibility forms are folded (NFKC): "Ｎｇｕｙễｎ" -> "Nguyễn".
      NFKC composes as NFC does, so Vietnamese letters stay one character each.
    - Other control and separator characters become spaces; spaces are collapsed.

    Idempotent; the services, the importer, the API and the search all call it (through
    `fold` for search keys and `clean_card` for card numbers).
    """
    if text.isprintable() and unicodedata.is_normalized("NFKC", text):
        return " ".join(text.split())  # the common case, with no character to change
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in text)
    return " ".join(text.split())


def clean_card(text: str) -> str:
    """A union card number as stored and as searched: cleaned as a name (no invisible
    characters, full-width letters and digits folded), in capitals; "" when nothing is left."""
    return clean_name(text).upper()


CARD_SHOWN = 4  # characters of a masked card number left visible (reliability-security test 55)
MASK = "\u2022"  # BULLET, one for each hidden character


def mask_card(card: str | None) -> str:
    """A card number with all but its last CARD_SHOWN characters hidden, as lists, files and
    reviewers see it (members.disclosure): "HP-012345" -> "•••••2345"; "" for no card. A
    number of CARD_SHOWN characters or fewer is hidden whole, so a mask never shows it all."""
    if not card:
        return ""
    if len(card) <= CARD_SHOWN:
        return MASK * len(card)
    return MASK * (len(card) - CARD_SHOWN) + card[-CARD_SHOWN:]


def fold(text: str) -> str:
    """The search key of a name: cleaned (clean_name), lower case without diacritics, đ as d:
    "Hoàng Dũng" -> "hoang dung", "Ｎｇｕｙễｎ" -> "nguyen".

    Search compares folded text with folded text, so "nguyen" finds "Nguyễn" and "d" finds
    "đ", which neither SQLite nor a default PostgreSQL does by itself; the search text is
    cleaned the same way, so a pasted zero-width space or soft hyphen changes nothing."""
    text = unicodedata.normalize("NFD", clean_name(text).lower()).replace("đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


def branch_search_key(name: str, short_name: str = "") -> str:
    """The stored search key of a branch: its name and short name folded (see fold), so that
    "khoa hoc" finds "Công đoàn Sở Khoa học và Công nghệ" and a prefix of the folded name is
    answered from the key's index."""
    return fold(f"{name} {short_name}")


def _letters(word: str) -> tuple[str, str]:
    """(primary, tones): the word's letters as rank characters, and its tone digits."""
    primary, tones = [], []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        tone = "0"
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _MODIFIERS:
                base = _COMPOSE.get((base, _MODIFIERS[mark]), base)
        if base in _RANK:
            primary.append(_RANK[base])
        elif base.isalnum():
            primary.append(base if base.isdigit() else "~")
        else:
            continue
        tones.append(tone)
    return "".join(primary), "".join(tones)


def _clusters(text: str) -> list[str]:
    clusters: list[str] = []
    for ch in text:
        if unicodedata.combining(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name: the first word is the family name,
    the last the given name, the rest the middle names."""
    words = clean_name(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """A key whose byte order is the Vietnamese order of names: by given name, then family
    name, then middle names; letters first (a < ă < â < b ... d < đ), tones only to break a tie
    (ngang < huyền < hỏi < ngã < sắc < nặng)."""
    family, middle, given = split_name(full_name)
    parts = [_letters(word) for word in (given, family, *middle.split(" "))]
    primary = " ".join(p for p, _ in parts)
    tones = "".join(t for _, t in parts)
    return f"{primary}\x1f{tones}"[:255]


# The letters a folded word holds in place of others (fold drops the marks, đ becomes d).
_UNFOLDED = {"a": "aăâ", "d": "dđ", "e": "eê", "o": "oôơ", "u": "uư"}
GIVEN_KEYS_MAX = 64  # more spellings than this: a word too long to bound by its given names


def given_name_keys(word: str) -> list[str] | None:
    """The first words a sort key (name_sort_key) may start with for a given name that folds
    to `word` (a folded word, see fold), in order: "dung" -> the keys of dung, dưng, đung,
    đưng. The members of one given name sit together in name order from that key on. None
    when the word has more than GIVEN_KEYS_MAX spellings."""
    choices = [_UNFOLDED.get(ch, ch) for ch in word]
    if math.prod(len(options) for options in choices) > GIVEN_KEYS_MAX:
        return None
    return sorted({_letters("".join(spelling))[0] for spelling in itertools.product(*choices)})


# --- Ages ------------------------------------------------------------------------------------

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under-30", 0, 30),
    ("30-39", 30, 40),
    ("40-49", 40, 50),
    ("50-plus", 50, None),
)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_band(birth_date: date | None, day: date) -> str | None:
    """The band of AGE_BANDS a member falls in on `day`; None when the birth date is unknown."""
    if birth_date is None:
        return None
    age = age_on(birth_date, day)
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age < high):
            return code
    return None


def birth_dates_for_band(code: str, day: date) -> tuple[date | None, date | None]:
    """The birth-date range (earliest, latest inclusive) of a band on `day`, so that an age
    band filter is a plain date-range query."""
    for band, low, high in AGE_BANDS:
        if band == code:
            latest = _years_before(day, low)
            earliest = None if high is None else _years_before(day, high)
            if earliest is not None:
                earliest = date.fromordinal(earliest.toordinal() + 1)
            return earliest, latest
    raise ValueError(f"unknown age band {code!r}")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)
