"""Normalization with an offset map back to the original text.

The normalized text is only used for matching: Devanagari spelling variants
that news writes interchangeably are folded together (nukta forms, chandrabindu
and anusvara, a nasal consonant + virama before a consonant, zero-width
joiners, Devanagari digits), Latin text is put in NFC, typographic quotes are
straightened. `offsets[i]` is the original index of normalized character `i`,
so every span found on the normalized text maps back exactly.
"""

from __future__ import annotations

import re
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
    """Return (normalized text, offsets): normalized character i comes from the original text at
    offsets[i]; offsets has one extra entry, len(text), so the normalized span [s, e) is the original
    span [offsets[s], offsets[e]) (which takes in any dropped mark or joiner at its end)."""
    if unicodedata.is_normalized("NFC", text):
        return _normalize_nfc(text)
    return _normalize_clusters(text)


_SPECIAL = re.compile(
    "[" + "".join(sorted(_DROP | set(_MAP) | set(_NUKTA_LETTERS))).replace("\\", "\\\\").replace("]", "\\]")
    .replace("-", "\\-").replace("^", "\\^") + "]"
    "|(?<=[\u0900-\u097f])[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939\u0958-\u095f])"
)


def _replacement(piece: str) -> str:
    if len(piece) == 2:  # nasal + virama before a consonant
        return "\u0902"
    ch = _NUKTA_LETTERS.get(piece, piece)
    if ch in _DROP:
        return ""
    return _MAP.get(ch, ch)


def _normalize_nfc(text: str) -> tuple[str, list[int]]:
    """The fast path for text already in NFC: copy runs between the few characters that change."""
    parts: list[str] = []
    offs: list[int] = []
    last = 0
    for m in _SPECIAL.finditer(text):
        s, e = m.span()
        parts.append(text[last:s])
        offs.extend(range(last, s))
        rep = _replacement(m.group())
        parts.append(rep)
        offs.extend([s] * len(rep))
        last = e
    parts.append(text[last:])
    offs.extend(range(last, len(text)))
    offs.append(len(text))
    return "".join(parts), offs


def _normalize_clusters(text: str) -> tuple[str, list[int]]:
    """The general path: NFC per base character and its marks, then the same replacements."""
    chars: list[str] = []
    offs: list[int] = []
    for start, cluster in _clusters(text):
        composed = unicodedata.normalize("NFC", cluster) if len(cluster) > 1 or ord(cluster) > 0x7F else cluster
        for ch in composed:
            ch = _NUKTA_LETTERS.get(ch, ch)
            if ch in _DROP:
                continue
            chars.append(_MAP.get(ch, ch))
            offs.append(start)
    out: list[str] = []
    out_offs: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch in _NASALS and i + 2 < n and chars[i + 1] == _VIRAMA and _is_consonant(chars[i + 2]) \
                and out and "\u0900" <= out[-1] <= "\u097f":
            out.append("\u0902")
            out_offs.append(offs[i])
            i += 2
            continue
        out.append(ch)
        out_offs.append(offs[i])
        i += 1
    out_offs.append(len(text))
    return "".join(out), out_offs


def fold(s: str) -> str:
    """The matching key of a lexicon or gazetteer entry: normalized and case-folded."""
    return normalize(s)[0].casefold()
