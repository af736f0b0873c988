"""Scripts to Latin, and Latin to a coarse phonetic key, for transliteration-tolerant name matching.

Devanagari goes through a small deterministic romanizer driven by
`kb/data/romanize_deva.tsv` (inherent vowel, virama, Hindi schwa deletion);
Cyrillic and anything else through anyascii. `phonetic_key` then folds the
spelling differences that transliteration leaves (sh/s, v/w, y/i, doubled
letters, aspirates, dzh/j, ...), so that "लावरोव", "Лавров" and "Lavrov"
get the same key and misspellings land close to it for rapidfuzz.

Why not aksharamukha: it installs and works offline, but its import takes
about 0.35 s, one name takes about 1.1 ms (3 s to index the whole knowledge
base), it pulls nine more packages, and it keeps every schwa
("lāvarova", "manamohana"), which would need this same post-processing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..tables import read_tsv

_DEVA_RANGE = ("\u0900", "\u097f")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str]]:
    from . import DATA

    return {r["deva"]: (r["latin"], r["kind"]) for r in read_tsv(DATA / "romanize_deva.tsv")}


def script_of(text: str) -> str:
    """'deva', 'cyrl', 'latn' or 'other': the script of the first letter found."""
    for ch in text:
        if _DEVA_RANGE[0] <= ch <= _DEVA_RANGE[1]:
            return "deva"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrl"
        if ch.isalpha():
            return "latn" if ch.isascii() or "LATIN" in unicodedata.name(ch, "") else "other"
    return "other"


def _romanize_word(word: str) -> str:
    """One Devanagari word to Latin, with the inherent vowel and Hindi schwa deletion."""
    table = _table()
    # syllables: [consonants, vowel, coda] where vowel None = inherent schwa, "" = killed by virama
    sylls: list[list] = []
    out_prefix = ""
    for ch in word:
        lat, kind = table.get(ch, (ch if ch.isascii() else "", "o"))
        if kind == "c":
            if sylls and sylls[-1][1] == "":  # after a virama: the cluster goes on
                sylls[-1][0] += lat
                sylls[-1][1] = None
            else:
                sylls.append([lat, None, ""])
        elif kind == "v":
            sylls.append(["", lat, ""])
        elif kind == "m":
            if sylls:
                sylls[-1][1] = lat
            else:
                out_prefix += lat
        elif kind == "x":
            if sylls:
                sylls[-1][1] = ""
        elif kind in ("n", "h"):
            if sylls:
                sylls[-1][2] += lat
            else:
                out_prefix += lat
        else:
            out_prefix += lat if not sylls else ""
            if sylls:
                sylls[-1][2] += lat
    if not sylls:
        return out_prefix
    # schwa deletion: the last inherent vowel goes (unless after a cluster: "narendra", "mitra"),
    # then right to left a schwa in V C _ C V goes ("manamohan" -> "manmohan")
    keep = [True] * len(sylls)
    last = sylls[-1]
    if last[1] is None and not last[2] and len(sylls) > 1 and last[0] and \
            not (_is_cluster(last[0]) and last[0][-1] in "ryv"):
        keep[-1] = False
    for i in range(len(sylls) - 2, 0, -1):
        s = sylls[i]
        if s[1] is not None or s[2] or not s[0]:
            continue
        prev_vowel = sylls[i - 1][1] is None and keep[i - 1] or bool(sylls[i - 1][1])
        nxt = sylls[i + 1]
        next_cv = bool(nxt[0]) and (bool(nxt[1]) or (nxt[1] is None and keep[i + 1]))
        if prev_vowel and next_cv and not _is_cluster(s[0]) and not _is_cluster(nxt[0]):
            keep[i] = False
    parts = [out_prefix]
    for s, k in zip(sylls, keep):
        vowel = "a" if s[1] is None and k else (s[1] or "")
        parts.append(s[0] + vowel + s[2])
    return "".join(parts)


_DIGRAPH = {"kh", "gh", "ch", "jh", "th", "dh", "ph", "bh", "sh"}


def _is_cluster(cons: str) -> bool:
    """More than one consonant sound in a syllable onset (from a virama): 'ndr', 'tr', 'sht' ..."""
    return len(cons) > 1 and cons not in _DIGRAPH and cons != "chh"


_TRANS: dict[int, str | None] = {}


def _trans() -> dict[int, str | None]:
    if not _TRANS:
        from ..text import normalize as n

        _TRANS.update({ord(k): v for k, v in n._MAP.items()})
        _TRANS.update({ord(k): v for k, v in n._NUKTA_LETTERS.items()})
        _TRANS.update({ord(k): None for k in n._DROP})
    return _TRANS


_NASAL_VIRAMA = re.compile("(?<=[\u0900-\u097f])[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939])")


def fast_fold(text: str) -> str:
    """The same string as sambandh.text.normalize.fold (tested to agree on every name in the knowledge
    base), about ten times faster: one NFC pass and a translate table instead of a loop over clusters."""
    if text.isascii():
        return text.casefold().replace("|", "\u0964")
    s = unicodedata.normalize("NFC", text).translate(_trans())
    return _NASAL_VIRAMA.sub("\u0902", s).casefold()


def romanize(text: str, folded: bool = False) -> str:
    """Text in any script to plain Latin letters (Devanagari by the table, the rest by anyascii).
    `folded`: the text is already the output of fold/fast_fold."""
    norm = text if folded else fast_fold(text)
    if any(_DEVA_RANGE[0] <= ch <= _DEVA_RANGE[1] for ch in norm):
        words = re.split(r"(\s+|[.\-])", norm)
        norm = "".join(_romanize_word(w) if any(_DEVA_RANGE[0] <= c <= _DEVA_RANGE[1] for c in w) else w
                       for w in words)
    from anyascii import anyascii

    return anyascii(norm)


# applied in order to lower-case ASCII; the point is that both sides of a comparison fold alike
_RULES = [
    (re.compile(r"[^a-z ]+"), " "),
    (re.compile(r"shch|sch"), "s"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"chh|ch|tsch|tch"), "C"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c"), "k"),
    (re.compile(r"C"), "c"),
    (re.compile(r"\bx"), "s"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([kgjtdbs])h"), r"\1"),
    (re.compile(r"zh|z"), "j"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ng(?=h|\b)"), "n"),
    (re.compile(r"n(?=[pb])"), "m"),
    (re.compile(r"ee|ie|iy|yi|ey$"), "i"),
    (re.compile(r"oo|ou"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"(?<=[a-z])h\b"), ""),
    (re.compile(r" +"), " "),
]


def phonetic_key(latin: str) -> str:
    """A coarse key of a Latin-script name: case, accents, doubled letters and common
    transliteration differences folded. Empty for text with no letters."""
    from anyascii import anyascii

    s = anyascii(latin).lower()
    for pat, rep in _RULES:
        s = pat.sub(rep, s)
    return s.strip()


@lru_cache(maxsize=65536)
def name_key(name: str, folded: bool = False) -> str:
    """The phonetic key of a name written in any script."""
    return phonetic_key(romanize(name, folded))
