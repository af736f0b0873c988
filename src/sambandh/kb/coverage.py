"""How much of 2000 to today the office-holder data covers, per country, office and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import KnowledgeBase

FOUR = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
SINCE = "2000-01-01"


def parse_date(s: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when the cell is not one."""
    if len(s) != 10 or s[4] != "-" or s[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def _merge(spans: list[tuple[int, int]], max_gap: int = 0) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1 + max_gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _covered(merged: list[tuple[int, int]], lo: int, hi: int) -> int:
    return sum(max(0, min(b, hi) - max(a, lo) + 1) for a, b in merged)


@dataclass
class Coverage:
    since: str
    until: str
    max_gap: int = 0  # gaps of up to this many days between two terms count as covered
    # (country, office) -> merged day-ordinal spans within [since, until]
    spans: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)
    holders: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def lo(self) -> int:
        return dt.date.fromisoformat(self.since).toordinal()

    @property
    def hi(self) -> int:
        return dt.date.fromisoformat(self.until).toordinal()

    def share(self, country: str, office: str, lo: int | None = None, hi: int | None = None) -> float:
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        return _covered(self.spans.get((country, office), []), lo, hi) / (hi - lo + 1)

    def full(self, country: str, office: str, lo: int | None = None, hi: int | None = None) -> bool:
        return self.share(country, office, lo, hi) >= 1.0

    def countries(self) -> list[str]:
        return sorted({c for c, _ in self.spans} | {c for c, _ in self.holders})

    def all_four(self, lo: int | None = None, hi: int | None = None) -> list[str]:
        return [c for c in self.countries() if all(self.full(c, o, lo, hi) for o in FOUR)]

    def years(self) -> list[tuple[int, int, int]]:
        """(year, first day, last day) of each calendar year in [since, until], clipped."""
        out = []
        a, b = dt.date.fromisoformat(self.since), dt.date.fromisoformat(self.until)
        for y in range(a.year, b.year + 1):
            lo = max(a, dt.date(y, 1, 1)).toordinal()
            hi = min(b, dt.date(y, 12, 31)).toordinal()
            out.append((y, lo, hi))
        return out

    def gaps(self, country: str, office: str) -> list[tuple[str, str]]:
        """Stretches of days in [since, until] with nobody in the office, as (first, last) dates."""
        out = []
        cur = self.lo
        for a, b in self.spans.get((country, office), []):
            if a > cur:
                out.append((cur, a - 1))
            cur = max(cur, b + 1)
        if cur <= self.hi:
            out.append((cur, self.hi))
        return [(dt.date.fromordinal(a).isoformat(), dt.date.fromordinal(b).isoformat()) for a, b in out]

    def to_dict(self) -> dict:
        offices = sorted({o for _, o in self.spans} | {o for _, o in self.holders},
                         key=lambda o: (o not in FOUR, FOUR.index(o) if o in FOUR else 0, o))
        per_country = {}
        for c in self.countries():
            per_country[c] = {
                "name": self.names.get(c, c),
                "offices": {o: {"holders": self.holders.get((c, o), 0), "covered": round(self.share(c, o), 4),
                                "gaps": self.gaps(c, o)[:10]}
                            for o in offices if (c, o) in self.holders},
                "all_four": all(self.full(c, o) for o in FOUR),
            }
        return {
            "since": self.since, "until": self.until, "max_gap": self.max_gap,
            "countries": per_country,
            "years": {str(y): len(self.all_four(lo, hi)) for y, lo, hi in self.years()},
            "all_four": self.all_four(),
            "summary": self.summary(),
        }

    def summary(self) -> str:
        allowing = f" (gaps of up to {self.max_gap} days between terms allowed)" if self.max_gap else ""
        return f"{len(self.all_four())} countries with all four offices covered {self.since}..{self.until}{allowing}"


def coverage(kb: KnowledgeBase, since: str = SINCE, until: str | None = None, max_gap: int = 0) -> Coverage:
    """Coverage of every (country or organisation, office) by dated terms between `since` and `until`
    (default today). A term counts from its start to its end day inclusive (open: to `until`); with
    `max_gap`, a stretch of up to that many days between two terms counts as covered too."""
    until = until or dt.date.today().isoformat()
    cov = Coverage(since, until, max_gap)
    hi = dt.date.fromisoformat(until).toordinal()
    raw: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for h in kb.holders:
        key = (h.country, h.office)
        cov.holders[key] = cov.holders.get(key, 0) + 1
        a = parse_date(h.start)
        b = parse_date(h.end) if h.end else None
        if a is None or (h.end and b is None):
            continue
        raw.setdefault(key, []).append((a.toordinal(), b.toordinal() if b else hi))
    lo = cov.lo
    for key, spans in raw.items():
        cov.spans[key] = [(max(a, lo), min(b, hi)) for a, b in _merge(spans, max_gap) if b >= lo and a <= hi]
    for code in {c for c, _ in cov.holders}:
        cov.names[code] = kb.name_of(code) or code
    return cov
