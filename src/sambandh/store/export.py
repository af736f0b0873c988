"""Exports of stored events: JSON Lines, CSV, Parquet and a GDELT-style TSV.

JSON Lines keeps each event as the store returns it (the extract contract's
event plus id, key, document, story, url). CSV and Parquet flatten it into
COLUMNS (Parquet keeps context and topics as lists; CSV joins them with |).
Dates are YYYY-MM-DD, country columns ISO 3166 alpha-3. The GDELT-style TSV
writes one row per story (GDELT's rows are deduplicated events) in the 61
columns of the GDELT 2.0 event table, without a header unless asked; there,
as GDELT's older tools expect, SQLDATE is YYYYMMDD and DATEADDED
YYYYMMDDHHMMSS, while country codes stay ISO alpha-3.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import select

from .core import Store
from .schema import stories as stories_t

FORMATS = ("jsonl", "csv", "parquet", "gdelt")

COLUMNS: list[tuple[str, str]] = [  # name, arrow type
    ("id", "int64"), ("key", "string"), ("document", "string"), ("source_id", "string"), ("story", "int64"),
    ("date", "string"), ("published", "string"), ("event", "string"), ("mode", "string"), ("reciprocal", "bool"),
    ("modality", "string"), ("quad_code", "int64"), ("cameo", "string"), ("goldstein", "float64"),
    ("actor_code", "string"), ("actor_country", "string"), ("actor_sector", "string"), ("actor_office", "string"),
    ("actor_name", "string"), ("actor_text", "string"),
    ("recipient_code", "string"), ("recipient_country", "string"), ("recipient_sector", "string"),
    ("recipient_office", "string"), ("recipient_name", "string"), ("recipient_text", "string"),
    ("context", "list"), ("topics", "list"), ("loc_name", "string"), ("loc_country", "string"),
    ("latitude", "float64"), ("longitude", "float64"), ("sentence", "int64"), ("span_start", "int64"),
    ("span_end", "int64"), ("evidence", "string"), ("rule", "string"), ("confidence", "float64"), ("url", "string"),
]


def flat(ev: dict[str, Any]) -> dict[str, Any]:
    a, r, loc = ev.get("actor") or {}, ev.get("recipient") or {}, ev.get("event_loc") or {}
    span = ev.get("span") or [None, None]
    out = {k: ev.get(k) for k in ("id", "key", "document", "source_id", "story", "date", "published", "event", "mode",
                                  "reciprocal", "modality", "quad_code", "cameo", "goldstein", "sentence", "evidence",
                                  "rule", "confidence", "url")}
    for role, d in (("actor", a), ("recipient", r)):
        for f in ("code", "country", "sector", "office", "name", "text"):
            out[f"{role}_{f}"] = d.get(f)
    out.update(context=list(ev.get("context") or []), topics=list(ev.get("topics") or []),
               loc_name=loc.get("name"), loc_country=loc.get("country"), latitude=loc.get("latitude"),
               longitude=loc.get("longitude"), span_start=span[0], span_end=span[1] if len(span) > 1 else None)
    if out["key"] is not None:
        out["key"] = str(out["key"])
    return out


def write_jsonl(events: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for ev in events:
        out.write(json.dumps(ev, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(events: Iterable[dict[str, Any]], out: IO[str]) -> int:
    w = csv.writer(out)
    w.writerow([c for c, _ in COLUMNS])
    n = 0
    for ev in events:
        row = flat(ev)
        w.writerow(["|".join(v) if isinstance(v, list) else ("" if v is None else v)
                    for v in (row[c] for c, _ in COLUMNS)])
        n += 1
    return n


def arrow_schema() -> Any:
    import pyarrow as pa

    types = {"int64": pa.int64(), "string": pa.string(), "bool": pa.bool_(), "float64": pa.float64(),
             "list": pa.list_(pa.string())}
    return pa.schema([(c, types[t]) for c, t in COLUMNS])


def write_parquet(events: Iterable[dict[str, Any]], path: str, chunk: int = 5000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        buf: list[dict[str, Any]] = []
        for ev in events:
            buf.append(flat(ev))
            if len(buf) >= chunk:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                n += len(buf)
                buf = []
        if buf or n == 0:
            writer.write_table(pa.Table.from_pylist(buf, schema=schema))
            n += len(buf)
    return n


GDELT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor{i}{f}" for i in (1, 2) for f in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                                "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                                                "Type3Code")]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
       "NumSources", "NumArticles", "AvgTone"]
    + [f"{g}_{f}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for f in ("Type", "FullName", "CountryCode",
                                                                             "ADM1Code", "ADM2Code", "Lat", "Long",
                                                                             "FeatureID")]
    + ["DATEADDED", "SOURCEURL"]
)


def _gdelt_row(ev: dict[str, Any], story: dict[str, Any]) -> list[Any]:
    day = story.get("first_date") or ev.get("date") or ""
    ymd = day.replace("-", "")
    row: dict[str, Any] = {c: "" for c in GDELT_COLUMNS}
    row.update(GLOBALEVENTID=story["id"], SQLDATE=ymd, MonthYear=ymd[:6], Year=ymd[:4], IsRootEvent=1,
               QuadClass=ev.get("quad_code") or "", GoldsteinScale=story.get("goldstein") or ev.get("goldstein") or "",
               NumMentions=story["mentions"], NumSources=story["sources"], NumArticles=story["articles"],
               DATEADDED=ymd + "000000" if ymd else "", SOURCEURL=ev.get("url") or ev.get("source_id") or "")
    if len(day) == 10:
        from datetime import date

        d = date.fromisoformat(day)
        row["FractionDate"] = f"{d.year + (d.timetuple().tm_yday - 1) / 365.0:.4f}"
    for i, role in ((1, "actor"), (2, "recipient")):
        a = ev.get(role) or {}
        code, sector = a.get("code") or "", a.get("sector") or ""
        row[f"Actor{i}Code"] = code + (sector if sector and sector != code else "")
        row[f"Actor{i}Name"] = (a.get("name") or a.get("office") or a.get("country") or code or "").upper()
        row[f"Actor{i}CountryCode"] = a.get("country") or ""
        row[f"Actor{i}Type1Code"] = sector
    cameo = ev.get("cameo") or ""
    row.update(EventCode=cameo, EventBaseCode=cameo[:3], EventRootCode=cameo[:2])
    loc = ev.get("event_loc") or {}
    if loc.get("name") or loc.get("country"):
        row.update(ActionGeo_Type=4 if loc.get("name") else 1, ActionGeo_FullName=loc.get("name") or "",
                   ActionGeo_CountryCode=loc.get("country") or "",
                   ActionGeo_Lat=loc.get("latitude") if loc.get("latitude") is not None else "",
                   ActionGeo_Long=loc.get("longitude") if loc.get("longitude") is not None else "")
    return [row[c] for c in GDELT_COLUMNS]


def _story_rows(store: Store, ids: list[int]) -> dict[int, dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(select(stories_t).where(stories_t.c.id.in_(ids))).mappings().all()
    return {r["id"]: dict(r) for r in rows}


def gdelt_rows(store: Store, events: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """One row per story, from the first matching event of each, with the story's counts."""
    seen: set[int] = set()
    buf: list[dict[str, Any]] = []

    def drain() -> Iterator[list[Any]]:
        info = _story_rows(store, [e["story"] for e in buf])
        for e in buf:
            if e["story"] in info:
                yield _gdelt_row(e, info[e["story"]])

    for ev in events:
        sid = ev.get("story")
        if sid is None or sid in seen:
            continue
        seen.add(sid)
        buf.append(ev)
        if len(buf) >= 1000:
            yield from drain()
            buf = []
    yield from drain()


def write_gdelt(store: Store, events: Iterable[dict[str, Any]], out: IO[str], header: bool = False) -> int:
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    if header:
        w.writerow(GDELT_COLUMNS)
    n = 0
    for row in gdelt_rows(store, events):
        w.writerow([str(v).replace("\t", " ").replace("\n", " ") for v in row])
        n += 1
    return n


def export(store: Store, fmt: str, out: IO[str] | str, filters: dict[str, Any] | None = None,
           header: bool = False) -> int:
    """Write the events matching `filters` in `fmt` to a text stream (a path for parquet); returns rows."""
    events = store.iter_events(filters)
    if fmt == "parquet":
        if not isinstance(out, str):
            raise ValueError("parquet needs a file path")
        return write_parquet(events, out)
    assert not isinstance(out, str)
    if fmt == "jsonl":
        return write_jsonl(events, out)
    if fmt == "csv":
        return write_csv(events, out)
    if fmt == "gdelt":
        return write_gdelt(store, events, out, header)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
