"""The development corpus plus the reference article, ingested twice, gives the same database as once;
every query and export works on it. Skipped when ../shared is not there."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sambandh.store import ingest, open_store
from sambandh.store.export import export

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV = SHARED / "corpus" / "bbc-hindi-dev.jsonl"
REFERENCE = SHARED / "examples" / "india-russia-moscow-talks.hi.txt"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present")


@needs_shared(DEV)
@needs_shared(REFERENCE)
def test_dev_corpus_twice_is_once(db_url, tmp_path, pipeline):
    store = open_store(db_url)
    first = ingest(store, [str(DEV), str(REFERENCE)], pipeline=pipeline, report=lambda m: None)
    once = store.stats()
    second = ingest(store, [str(DEV), str(REFERENCE)], pipeline=pipeline, report=lambda m: None)
    twice = store.stats()
    assert first.stored == once["documents"] > 250 and second.stored == 0
    assert second.skipped == once["documents"]
    keep = ("documents", "events", "stories", "agreements", "commitments", "entities", "actors", "rejects")
    assert {k: twice[k] for k in keep} == {k: once[k] for k in keep}
    assert once["rejects"] >= 1  # the corpus has an article without text

    assert store.query_events({}, limit=5)["events"] is not None
    ref = store.document(REFERENCE.name)
    assert ref is not None and ref["text"]
    for ev in ref["events"]:
        assert ev["evidence"] and ev["document"] == ref["key"]
    if once["events"]:
        a, b = next(iter(once["top_dyads"])).split("-")
        series = store.dyad_series(a, b, by="month")
        assert series["events"] >= once["top_dyads"][f"{a}-{b}"]
    for fmt in ("jsonl", "csv", "gdelt"):
        out = io.StringIO()
        export(store, fmt, out)
        if fmt == "jsonl":
            assert len(out.getvalue().splitlines()) == once["events"]
            assert all(json.loads(x)["event"] for x in out.getvalue().splitlines())
    import pandas as pd

    path = str(tmp_path / "events.parquet")
    assert export(store, "parquet", path) == once["events"]
    assert len(pd.read_parquet(path)) == once["events"]
    store.close()
