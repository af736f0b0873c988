"""Importing office-holders from Wikidata-style JSON (`sambandh kb import`).

Input: a JSON array of entities, JSON Lines (one entity a line), a
Wikidata dump (an array with one entity a line and trailing commas), or a
`wbgetentities` answer ({"entities": {...}}). An entity has "id",
"labels" and "aliases" (hi, en, ru) and "claims" with P39 (position held),
each statement qualified by P580 (start time) and P582 (end time).

Which position item means which country and office is data:
`kb/data/wikidata_positions.tsv` (qid, country, office, title), plus a
`wikidata_positions.tsv` in any `--kb` folder or a file passed with
`--positions`. Positions not in the table are skipped; so are deprecated
statements, statements without a start, and dates known only to the year
(we leave out what we are not sure of). A date known to the month is
written as the 1st, as in the shipped data.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..tables import read_tsv
from . import DATA, LANGS, KnowledgeBase

HOLDER_COLUMNS = ("person", "country", "office", "title", "start", "end", "en", "hi", "ru", "qid", "source")


@dataclass(slots=True)
class Position:
    qid: str
    country: str
    office: str
    title: str


def load_positions(files: list[Path] | tuple[Path, ...] = ()) -> dict[str, Position]:
    """The shipped position table plus `files` (later files override earlier rows)."""
    out: dict[str, Position] = {}
    for f in [DATA / "wikidata_positions.tsv", *files]:
        if not Path(f).exists():
            continue
        for r in read_tsv(Path(f)):
            out[r["qid"]] = Position(r["qid"], r["country"], r["office"], r.get("title", ""))
    return out


def read_entities(path: Path) -> Iterator[dict[str, Any]]:
    """Entities from a JSON array, JSON Lines, a Wikidata dump or a wbgetentities answer."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8") from None
    stripped = text.lstrip()
    if not stripped:
        return
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if whole is not None:
        if isinstance(whole, dict) and isinstance(whole.get("entities"), dict):
            yield from whole["entities"].values()
        elif isinstance(whole, dict):
            yield whole
        elif isinstance(whole, list):
            yield from (e for e in whole if isinstance(e, dict))
        else:
            raise InputError(f"{path}: expected JSON entities, found {type(whole).__name__}")
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip().rstrip(",")
        if not line or line in ("[", "]"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not JSON ({exc.msg})") from None
        if isinstance(obj, dict):
            yield obj


def _text(v: Any) -> str:
    if isinstance(v, dict):
        return str(v.get("value", "")).strip()
    return str(v).strip() if v is not None else ""


def entity_names(entity: dict[str, Any]) -> dict[str, list[str]]:
    """Label first, then aliases, per language."""
    out: dict[str, list[str]] = {}
    for lang in LANGS:
        names: list[str] = []
        label = _text((entity.get("labels") or {}).get(lang))
        if label:
            names.append(label)
        aliases = (entity.get("aliases") or {}).get(lang) or []
        if not isinstance(aliases, list):
            aliases = [aliases]
        for a in aliases:
            a = _text(a)
            if a and a not in names and "|" not in a and "\t" not in a:
                names.append(a)
        out[lang] = [n.replace("|", " ").replace("\t", " ") for n in names]
    return out


def _item_id(snak_or_value: Any) -> str:
    """The Q-id of a claim's value, in the full (mainsnak.datavalue.value.id) or a simple form."""
    v = snak_or_value
    if isinstance(v, dict) and "mainsnak" in v:
        v = v["mainsnak"]
    if isinstance(v, dict) and "datavalue" in v:
        v = v["datavalue"]
    if isinstance(v, dict) and "value" in v:
        v = v["value"]
    if isinstance(v, dict):
        if "id" in v:
            return str(v["id"])
        if "numeric-id" in v:
            return f"Q{v['numeric-id']}"
        return ""
    return str(v) if isinstance(v, str) else ""


def wikidata_date(q: Any) -> tuple[str | None, str]:
    """(YYYY-MM-DD or None, why not) of a time qualifier; month precision gives the 1st."""
    v = q
    if isinstance(v, dict) and "datavalue" in v:
        if v.get("snaktype", "value") != "value":
            return None, "unknown value"
        v = v["datavalue"]
    if isinstance(v, dict) and "value" in v:
        v = v["value"]
    precision = 11
    if isinstance(v, dict):
        precision = int(v.get("precision", 11))
        v = v.get("time", "")
    s = str(v or "").lstrip("+")
    if s.startswith("-") or len(s) < 10:
        return None, "not a date"
    y, m, d = s[:4], s[5:7], s[8:10]
    if precision >= 11 and m != "00" and d != "00":
        return f"{y}-{m}-{d}", ""
    if precision == 10 and m != "00":
        return f"{y}-{m}-01", ""
    return None, "known only to the year"


@dataclass
class ImportReport:
    entities: int = 0
    rows: int = 0
    skipped: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"{self.entities} entities read, {self.rows} office terms written"]
        out += [f"skipped {n}: {why}" for why, n in sorted(self.skipped.items())]
        return out


def _first(quals: dict[str, Any], prop: str) -> Any:
    v = quals.get(prop)
    if isinstance(v, list):
        return v[0] if v else None
    return v


def holder_rows(entities: Iterator[dict[str, Any]], positions: dict[str, Position],
                report: ImportReport | None = None, kb: KnowledgeBase | None = None) -> list[dict[str, str]]:
    """Holder rows (the columns of holders/*.tsv) for every P39 statement of a known position. A person
    whose QID is already in `kb` keeps the person id used there."""
    report = report or ImportReport()
    by_qid = {h.qid: h.person for h in kb.holders if h.qid} if kb else {}
    rows: list[dict[str, str]] = []
    for ent in entities:
        report.entities += 1
        qid = str(ent.get("id") or ent.get("title") or "")
        names = entity_names(ent)
        claims = (ent.get("claims") or {}).get("P39") or []
        for st in claims:
            if isinstance(st, dict) and st.get("rank") == "deprecated":
                report.skipped["deprecated statement"] += 1
                continue
            pos = positions.get(_item_id(st))
            if pos is None:
                report.skipped["position not in wikidata_positions.tsv"] += 1
                continue
            quals = (st.get("qualifiers") if isinstance(st, dict) else None) or {}
            start_q, end_q = _first(quals, "P580"), _first(quals, "P582")
            if start_q is None:
                report.skipped["no start (P580)"] += 1
                continue
            start, why = wikidata_date(start_q)
            if start is None:
                report.skipped[f"start {why}"] += 1
                continue
            end = ""
            if end_q is not None:
                end_d, why = wikidata_date(end_q)
                if end_d is None:
                    report.skipped[f"end {why}"] += 1
                    continue
                end = end_d
            if not qid or not names["en"]:
                report.skipped["no id or English label"] += 1
                continue
            rows.append({"person": by_qid.get(qid, qid), "country": pos.country, "office": pos.office, "title": pos.title,
                         "start": start, "end": end, "en": "|".join(names["en"]), "hi": "|".join(names["hi"]),
                         "ru": "|".join(names["ru"]), "qid": qid, "source": f"wikidata:{qid} P39 {pos.qid}"})
    rows.sort(key=lambda r: (r["country"], r["office"], r["start"]))
    report.rows = len(rows)
    return rows


def write_holders(rows: list[dict[str, str]], path: Path, origin: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# Office-holders imported by `sambandh kb import` from {origin}.",
             "# Columns as in docs/data.md (holders/*.tsv); check with `sambandh kb validate --kb FOLDER`.",
             "\t".join(HOLDER_COLUMNS)]
    lines += ["\t".join(r.get(c, "") for c in HOLDER_COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_file(src: Path, folder: Path, position_files: list[Path] | tuple[Path, ...] = (),
                kb: KnowledgeBase | None = None) -> tuple[Path, ImportReport]:
    """Read `src`, write `folder/holders/<name>.tsv`; the folder then works with `--kb folder`.
    With `kb`, people it already knows (by QID) keep their person ids."""
    positions = load_positions(list(position_files))
    report = ImportReport()
    rows = holder_rows(read_entities(src), positions, report, kb)
    out = folder / "holders" / f"{src.name.split('.')[0] or 'wikidata'}.tsv"
    write_holders(rows, out, src.name)
    return out, report
