"""Exports: JSON Lines, CSV, Parquet (loads in pandas), GDELT-style TSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sambandh.store import ingest_records
from sambandh.store.export import COLUMNS, GDELT_COLUMNS, export

from .conftest import event, record


@pytest.fixture
def filled(store):
    loc = {"name": "Moscow", "country": "RUS", "latitude": 55.75, "longitude": 37.62}
    ingest_records(store, [
        record("a", [event("CONSULT", "IND", "RUS", "2025-11-17", mode="visit", cameo="042", goldstein=1.9,
                           topics=["trade", "defence"], event_loc=loc, evidence="met,\tin \"Moscow\"\nyesterday")],
               published="2025-11-17", url="https://news.example/a"),
        record("b", [event("CONSULT", "RUS", "IND", "2025-11-18", mode="visit", cameo="042", goldstein=1.9,
                           event_loc=loc)], published="2025-11-18", url="https://other.example/b"),
        record("c", [event("THREATEN", "PAK", "IND", "2025-11-20", quad_code=3, cameo="130", goldstein=-4.4)],
               published="2025-11-20"),
    ])
    return store


def test_jsonl(filled):
    out = io.StringIO()
    assert export(filled, "jsonl", out) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["event_loc"]["name"] == "Moscow" and rows[0]["date"] == "2025-11-17"
    assert rows[0]["url"] == "https://news.example/a"


def test_csv(filled):
    out = io.StringIO()
    assert export(filled, "csv", out, {"dyad": "IND-RUS"}) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [c for c, _ in COLUMNS]
    assert rows[0]["topics"] == "trade|defence" and rows[0]["actor_country"] == "IND"
    assert rows[0]["evidence"] == "met,\tin \"Moscow\"\nyesterday" and rows[1]["date"] == "2025-11-18"


def test_parquet_loads_in_pandas(filled, tmp_path):
    import pandas as pd

    path = str(tmp_path / "events.parquet")
    assert export(filled, "parquet", path) == 3
    df = pd.read_parquet(path)
    assert len(df) == 3 and list(df.columns) == [c for c, _ in COLUMNS]
    assert list(df["topics"][0]) == ["trade", "defence"] and df["latitude"][0] == 55.75
    assert set(df["recipient_code"]) == {"RUS", "IND"}
    empty = str(tmp_path / "none.parquet")
    assert export(filled, "parquet", empty, {"dyad": "USA-CHN"}) == 0
    assert len(pd.read_parquet(empty)) == 0


def test_gdelt_one_row_per_story(filled):
    out = io.StringIO()
    assert export(filled, "gdelt", out, header=True) == 2  # the two Moscow reports are one story
    lines = out.getvalue().splitlines()
    head = lines[0].split("\t")
    assert head == GDELT_COLUMNS and len(head) == 61
    row = dict(zip(head, lines[1].split("\t"), strict=True))
    assert row["SQLDATE"] == "20251117" and row["Actor1Code"] == "INDGOV" and row["Actor2CountryCode"] == "RUS"
    assert row["EventCode"] == "042" and row["EventRootCode"] == "04" and row["QuadClass"] == "1"
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"]) == ("2", "2", "2")
    assert row["ActionGeo_FullName"] == "Moscow" and row["ActionGeo_Lat"] == "55.75"
    assert row["SOURCEURL"] == "https://news.example/a"
    assert all(len(line.split("\t")) == 61 for line in lines)


def test_unknown_format(filled):
    with pytest.raises(ValueError):
        export(filled, "xml", io.StringIO())
