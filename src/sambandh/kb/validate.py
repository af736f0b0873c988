"""Checks of the knowledge files: what `sambandh kb validate` reports.

Per holder row: a known office code, a known country or organisation code,
dates in YYYY-MM-DD that exist, an end not before the start, no start after
today, and a name in each of en, hi and ru. Across rows: no two terms of one
office for one country overlap (a term may end on the day the next one
starts). Country codes in country_terms and places must be known too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import DATA, LANGS, KnowledgeBase, load_kb
from .coverage import parse_date


@dataclass(slots=True)
class Problem:
    path: str
    line: int
    kind: str  # overlap, missing-name, bad-date, end-before-start, future-start, unknown-office, ...
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


def rows_with_lines(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, row)]) of a TSV file, read like sambandh.tables.read_tsv."""
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header:
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append((lineno, dict(zip(header, cells))))
    return header, rows


def holder_files(folder: Path) -> list[Path]:
    hdir = folder / "holders"
    files = sorted(hdir.glob("*.tsv")) if hdir.is_dir() else []
    if (folder / "holders.tsv").exists():
        files.append(folder / "holders.tsv")
    return files


def _in(path: Path, folders: set[str]) -> bool:
    return str(path.parent) in folders or str(path.parent.parent) in folders


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def validate(extra: tuple[Path, ...] | list[Path] = (), shipped: bool = True, today: str | None = None,
             kb: KnowledgeBase | None = None) -> list[Problem]:
    """Problems in the shipped data (unless `shipped` is False) and in the `extra` folders. Codes are
    checked against everything loaded (shipped + extra), overlaps across all files."""
    today = today or dt.date.today().isoformat()
    kb = kb or load_kb(tuple(extra))
    folders = ([DATA] if shipped else []) + [Path(f) for f in extra]
    checked = {str(f) for f in folders}
    all_folders = [DATA] + [Path(f) for f in extra]
    problems: list[Problem] = []
    known_places = set(kb.countries) | set(kb.orgs)
    terms: dict[tuple[str, str], list[tuple[str, str, str, Path, int]]] = {}
    for folder in all_folders:
        report = str(folder) in checked
        for path in holder_files(folder):
            header, rows = rows_with_lines(path)
            shown = _display(path)
            missing_cols = [c for c in ("person", "country", "office", "start", "end") if c not in header]
            if missing_cols and report:
                problems.append(Problem(shown, 1, "bad-header", f"missing column(s) {', '.join(missing_cols)}"))
                continue
            for lineno, r in rows:
                p = r.get("person", "")

                def bad(kind: str, msg: str, lineno: int = lineno, p: str = p, shown: str = shown,
                        report: bool = report) -> None:
                    if report:
                        problems.append(Problem(shown, lineno, kind, f"{p}: {msg}"))

                if not p:
                    bad("missing-person", "no person id")
                if r["office"] not in kb.offices:
                    bad("unknown-office", f"office {r['office']!r} is not in offices.tsv")
                if r["country"] not in known_places:
                    bad("unknown-country", f"country {r['country']!r} is neither a country nor an organisation code")
                start, end = parse_date(r["start"]), parse_date(r["end"]) if r["end"] else None
                if start is None:
                    bad("bad-date", f"start {r['start']!r} is not a YYYY-MM-DD date")
                if r["end"] and end is None:
                    bad("bad-date", f"end {r['end']!r} is not a YYYY-MM-DD date")
                if start and end and end < start:
                    bad("end-before-start", f"ends {r['end']} before it starts {r['start']}")
                if start and r["start"] > today:
                    bad("future-start", f"starts {r['start']}, after today {today}")
                for lang in LANGS:
                    if lang in header and not r.get(lang, "").strip():
                        bad("missing-name", f"no {lang} name")
                    elif lang not in header:
                        bad("missing-name", f"no {lang} column")
                if start and (end or not r["end"]):
                    terms.setdefault((r["country"], r["office"]), []).append(
                        (r["start"], r["end"], p, path, lineno))
        for fname, col in (("country_terms.tsv", "code"), ("places.tsv", "country")):
            for path in [folder / fname, *(sorted((folder / "country_terms").glob("*.tsv"))
                                           if fname == "country_terms.tsv" else [])]:
                if not report or not path.exists():
                    continue
                _, rows = rows_with_lines(path)
                for lineno, r in rows:
                    if r.get(col) and r[col] not in known_places:
                        problems.append(Problem(_display(path), lineno, "unknown-country",
                                                f"{r.get('en') or r.get('variants', '')}: code {r[col]!r} unknown"))
    for (country, office), spans in terms.items():
        spans.sort()
        for i, first in enumerate(spans):
            for second in spans[i + 1:]:
                if second[0] >= (first[1] or "9999-12-31"):
                    break  # sorted by start: no later term overlaps `first` either
                if not (_in(first[3], checked) or _in(second[3], checked)):
                    continue
                # report it where the user can fix it: in a checked file, the later term
                other, this = (first, second) if _in(second[3], checked) else (second, first)
                what = "another term of the same person" if this[2] == other[2] else \
                    f"{other[2]} ({other[0]}..{other[1] or 'now'})"
                problems.append(Problem(_display(this[3]), this[4], "overlap",
                                        f"{this[2]}: {country} {office} {this[0]}..{this[1] or 'now'} overlaps "
                                        f"{what} at {_display(other[3])}:{other[4]}"))
    problems.sort(key=lambda pr: (pr.path, pr.line, pr.kind))
    return problems
