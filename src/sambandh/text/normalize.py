"""Normalization with an offset map back to the original text.

The normalized text is only used for matching: Devanagari spelling variants
that news writes interchangeably are folded together (nukta forms, chandrabindu
and anusvara, a nasal consonant + virama before a consonant, zero-width
joiners, Devanagari digits), Latin text is put in NFC, typographic quotes are
straightened. `offsets[i]` is the original index of normalized character `i`,
so every span found on the normalized text maps back exactly.
"""

from __future__ import annotations

import unicodedata

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u093c"}  # ZW*, BOM, SHY, nukta
_MAP = {
    "\u0901": "\u0902",  # chandrabindu -> anusvara
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
    "\u0964": "\u0964", "|": "\u0964",  # a pipe stands in for the danda in some outlets
}
_MAP.update({chr(0x0966 + i): str(i) for i in range(10)})  # Devanagari digits
# precomposed nukta letters decompose to base + nukta; the nukta is then dropped
_NUKTA_LETTERS = {chr(c): unicodedata.normalize("NFD", chr(c))[0] for c in
                  [*range(0x0958, 0x0960), 0x0929, 0x0931, 0x0934]}
_NASALS = set("\u0919\u091e\u0923\u0928\u092e")  # ङ ञ ण न म
_VIRAMA = "\u094d"


def _is_consonant(ch: str) -> bool:
    return "\u0915" <= ch <= "\u0939" or ch in _NUKTA_LETTERS


def _clusters(text: str) -> list[tuple[int, str]]:
    """Split into base character + following combining marks, with start offsets."""
    out: list[tuple[int, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.category(text[i]).startswith("M"):
            out.append((start, text[start:i]))
            start = i
    return out


def normalize(text: str) -> tuple[str, list[int]]:
    """Return (normalized text, offsets) with len(offsets) == len(normalized) + 1."""
    norm, starts, _ = normalize_spans(text)
    return norm, starts


def normalize_spans(text: str) -> tuple[str, list[int], list[int]]:
    """(normalized text, starts, ends): normalized character i comes from the original cluster
    text[starts[i]:ends[i]] (a base character with its combining marks). `starts` has one extra entry,
    len(text), so a span's start can be looked up at its end too."""
    chars: list[str] = []
    offs: list[int] = []
    ends: list[int] = []
    for start, cluster in _clusters(text):
        composed = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or ord(cluster) > 0x7F else cluster
        for ch in composed:
            ch = _NUKTA_LETTERS.get(ch, ch)
            if ch in _DROP:
                continue
            ch = _MAP.get(ch, ch)
            chars.append(ch)
            offs.append(start)
            ends.append(start + len(cluster))
    # nasal consonant + virama before a consonant is the same as anusvara: हिन्दी = हिंदी
    out: list[str] = []
    out_offs: list[int] = []
    out_ends: list[int] = []
    i = 0
    n = len(chars)
    while i < n:
        ch = chars[i]
        if ch in _NASALS and i + 2 < n and chars[i + 1] == _VIRAMA and _is_consonant(chars[i + 2]) \
                and out and "\u0900" <= out[-1] <= "\u097f":
            out.append("\u0902")
            out_offs.append(offs[i])
            out_ends.append(ends[i + 1])
            i += 2
            continue
        out.append(ch)
        out_offs.append(offs[i])
        out_ends.append(ends[i])
        i += 1
    out_offs.append(len(text))
    return "".join(out), out_offs, out_ends


def fold(s: str) -> str:
    """The matching key of a lexicon or gazetteer entry: normalized and case-folded."""
    return normalize(s)[0].casefold()
