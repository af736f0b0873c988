"""Per-language lexicons, loaded from `lang/<code>/*.tsv` (see docs/data.md).

One mechanism for every language: a `TermIndex` matches multi-token terms
(folded like the text; a token ending in `*` matches by prefix) at a token
position, longest first. Adding a language is adding a folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import DataError
from .tables import read_tsv
from .text.normalize import fold
from .text.tokens import tokenize

LANG_DIR = Path(__file__).parent / "lang"


def term_keys(term: str) -> tuple[str, ...]:
    """Token keys of a lexicon term, tokenized and folded exactly like text (`*` kept)."""
    star = term.endswith("*")
    suffix = term.startswith("*") and " " not in term
    toks = [t.key for t in tokenize(fold(term.strip("*")))]
    if suffix and toks:
        return ("*" + "".join(toks),)
    if star and toks:
        toks[-1] += "*"
    return tuple(toks)


class TermIndex:
    """Multi-token terms -> payloads, matched at a position, longest match first.

    Terms are bucketed by their first token; terms whose first token matches by prefix or suffix
    ("वापस बुला*", "*ेगा") sit apart and are only tried when the token starts or ends right."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._wild: list[tuple[tuple[str, ...], Any]] = []
        self._starts: tuple[str, ...] = ()
        self._ends: tuple[str, ...] = ()
        self.size = 0

    def add(self, term: str, payload: Any) -> None:
        keys = term_keys(term)
        if not keys:
            return
        self.size += 1
        first = keys[0]
        if first.endswith("*") or first.startswith("*"):
            self._wild.append((keys, payload))
            self._wild.sort(key=lambda kp: -len(kp[0]))
            if first.endswith("*"):
                self._starts += (first[:-1],)
            else:
                self._ends += (first[1:],)
        else:
            bucket = self._by_first.setdefault(first, [])
            bucket.append((keys, payload))
            bucket.sort(key=lambda kp: -len(kp[0]))

    @staticmethod
    def _fits(pattern: tuple[str, ...], keys: list[str], i: int) -> bool:
        if i + len(pattern) > len(keys):
            return False
        for p, k in zip(pattern, keys[i:i + len(pattern)]):
            if p.endswith("*"):
                if not k.startswith(p[:-1]):
                    return False
            elif p.startswith("*") and len(p) > 1:
                if not k.endswith(p[1:]) or k == p[1:]:
                    return False
            elif p != k:
                return False
        return True

    def _wild_at(self, key: str) -> bool:
        return bool(self._wild) and (key.startswith(self._starts) or key.endswith(self._ends))

    def match(self, keys: list[str], i: int) -> list[tuple[int, Any]]:
        """All (length, payload) of terms that start at token i, longest first."""
        out = [(len(p), pay) for p, pay in self._by_first.get(keys[i], ()) if self._fits(p, keys, i)]
        if self._wild_at(keys[i]):
            out += [(len(p), pay) for p, pay in self._wild if self._fits(p, keys, i)]
            out.sort(key=lambda lp: -lp[0])
        return out

    def longest(self, keys: list[str], i: int) -> tuple[int, Any] | None:
        best = None
        for p, pay in self._by_first.get(keys[i], ()):  # longest first
            if self._fits(p, keys, i):
                best = (len(p), pay)
                break
        if self._wild_at(keys[i]):
            for p, pay in self._wild:
                if (best is None or len(p) > best[0]) and self._fits(p, keys, i):
                    best = (len(p), pay)
                    break
        return best

    def find_all(self, keys: list[str], lo: int = 0, hi: int | None = None) -> list[tuple[int, int, Any]]:
        """Non-overlapping (start, end, payload) matches in keys[lo:hi], leftmost-longest."""
        hi = len(keys) if hi is None else hi
        out = []
        i = lo
        by_first = self._by_first
        while i < hi:
            m = self.longest(keys, i) if (keys[i] in by_first or self._wild_at(keys[i])) else None
            if m and i + m[0] <= hi:
                out.append((i, i + m[0], m[1]))
                i += m[0]
            else:
                i += 1
        return out


@dataclass
class Lexicon:
    lang: str
    config: dict[str, Any]
    markers: TermIndex = field(default_factory=TermIndex)
    predicates: TermIndex = field(default_factory=TermIndex)
    modality: TermIndex = field(default_factory=TermIndex)
    topics: TermIndex = field(default_factory=TermIndex)
    clause: TermIndex = field(default_factory=TermIndex)
    glue: TermIndex = field(default_factory=TermIndex)
    sectors: TermIndex = field(default_factory=TermIndex)
    references: TermIndex = field(default_factory=TermIndex)
    agreements: TermIndex = field(default_factory=TermIndex)
    actions: TermIndex = field(default_factory=TermIndex)
    horizons: TermIndex = field(default_factory=TermIndex)
    nonpolitical: TermIndex = field(default_factory=TermIndex)
    stopnames: set[str] = field(default_factory=set)
    abbreviations: set[str] = field(default_factory=set)

    @property
    def head_final(self) -> bool:
        """Postpositions after the noun phrase and the verb at the end (Hindi), or not (English)."""
        return self.config.get("order", "SVO") == "SOV"


# file name -> (attribute, key column, how a row becomes the payload)
_FILES = {
    "markers.tsv": ("markers", "marker"),
    "predicates.tsv": ("predicates", "trigger"),
    "modality.tsv": ("modality", "cue"),
    "topics.tsv": ("topics", "term"),
    "clause.tsv": ("clause", "term"),
    "glue.tsv": ("glue", "term"),
    "sectors.tsv": ("sectors", "term"),
    "references.tsv": ("references", "term"),
    "agreements.tsv": ("agreements", "term"),
    "actions.tsv": ("actions", "term"),
    "horizons.tsv": ("horizons", "term"),
    "nonpolitical.tsv": ("nonpolitical", "term"),
}


@cache
def supported_languages() -> frozenset[str]:
    """Languages with a full set of lexicons (a folder with predicates.tsv)."""
    return frozenset(p.name for p in LANG_DIR.iterdir() if (p / "predicates.tsv").exists())


def load_lexicon(lang: str, folder: Path | None = None) -> Lexicon:
    folder = folder or LANG_DIR / lang
    if not (folder / "lang.toml").exists():
        raise DataError(f"no lexicons for language {lang!r} in {folder}")
    try:
        config = tomllib.loads((folder / "lang.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{folder / 'lang.toml'}: {exc}") from None
    lex = Lexicon(lang, config)
    for fname, (attr, keycol) in _FILES.items():
        path = folder / fname
        if not path.exists():
            continue
        index: TermIndex = getattr(lex, attr)
        for row in read_tsv(path):
            term = row.get(keycol, "")
            if not term:
                raise DataError(f"{path}: a row has no {keycol!r}")
            for variant in term.split("|"):
                index.add(variant, row)
    for fname, attr in (("stopnames.tsv", "stopnames"), ("abbreviations.tsv", "abbreviations")):
        path = folder / fname
        if path.exists():
            getattr(lex, attr).update(fold(r["term"]) for r in read_tsv(path))
    return lex
