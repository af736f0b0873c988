"""Reading the store: filters, paging, dyad series, actors, stats, errors."""

from __future__ import annotations

import pytest

from sambandh.store import StoreError, ingest_records

from .conftest import agreement, event, record


@pytest.fixture
def filled(store):
    recs = [
        record("d1", [event("CONSULT", "IND", "RUS", "2025-01-05", topics=["trade"], evidence="Modi met Putin"),
                      event("ACCUSE", "PAK", "IND", "2025-01-06", quad_code=3, goldstein=-2.0,
                            evidence="Pakistan accused India", id="p1")],
               published="2025-01-06", agreements=[agreement(["IND", "RUS"], "drafting")]),
        record("d2", [event("COOPERATE", "RUS", "IND", "2025-02-10", quad_code=2, goldstein=3.0,
                            topics=["defence", "energy"], modality="future", evidence="Russia will supply oil")],
               published="2025-02-10", agreements=[agreement(["IND", "RUS"], "signed")]),
        record("d3", [event("CONSULT", "IND", "RUS", "2025-03-15", evidence="Jaishankar spoke to Lavrov"),
                      event("CONSULT", "USA", "CHN", "2025-03-15", evidence="Blinken met Wang")],
               published="2025-03-15"),
    ]
    ingest_records(store, recs)
    return store


def keys(page):
    return [e["key"] for e in page["events"]]


def test_dyad_directed_and_undirected(filled):
    assert len(filled.query_events({"dyad": "IND-RUS"})["events"]) == 3
    assert len(filled.query_events({"dyad": "ind>rus"})["events"]) == 2
    assert len(filled.query_events({"dyad": "RUS>IND"})["events"]) == 1


@pytest.mark.parametrize("filters, n", [
    ({"actor": "IND"}, 2), ({"recipient": "IND"}, 2), ({"country": "IND"}, 4), ({"country": "USA,PAK"}, 2),
    ({"type": "CONSULT"}, 3), ({"type": "consult,ACCUSE"}, 4), ({"quad": "2,3"}, 2), ({"quad": [1]}, 3),
    ({"topic": "energy"}, 1), ({"topic": "trade,defence"}, 2), ({"modality": "future"}, 1),
    ({"since": "2025-02-01"}, 3), ({"until": "2025-01"}, 2), ({"since": "2025-02", "until": "2025-02-28"}, 1),
    ({"since": "2025"}, 5), ({"q": "Lavrov"}, 1), ({"min_confidence": 0.95}, 0), ({"document": "d3"}, 2),
    ({}, 5), ({"dyad": "", "type": None}, 5),
])
def test_filters(filled, filters, n):
    assert len(filled.query_events(filters)["events"]) == n
    assert filled.count_events(filters) == n


def test_story_filter(filled):
    sid = filled.query_events({"dyad": "USA-CHN"})["events"][0]["story"]
    assert [e["actor"]["code"] for e in filled.query_events({"story": sid})["events"]] == ["USA"]


def test_events_come_in_date_order_with_a_cursor(filled):
    seen, cursor = [], None
    while True:
        page = filled.query_events({}, limit=2, cursor=cursor)
        seen += [(e["date"], e["id"]) for e in page["events"]]
        cursor = page["next"]
        if not cursor:
            break
    assert len(seen) == 5 and seen == sorted(seen)
    assert [e["date"] for e in filled.iter_events({}, chunk=2)] == [d for d, _ in seen]


@pytest.mark.parametrize("filters, code", [
    ({"dyad": "IND"}, "E511"), ({"since": "last week"}, "E512"), ({"colour": "red"}, "E513"),
    ({"quad": "one"}, "E514"), ({"actor": "I N D"}, "E510"), ({"story": "x"}, "E514"),
    ({"min_confidence": "high"}, "E514"),
])
def test_bad_filters_say_what_to_do(filled, filters, code):
    with pytest.raises(StoreError) as err:
        filled.query_events(filters)
    assert err.value.code == code


def test_bad_cursor(filled):
    with pytest.raises(StoreError):
        filled.query_events({}, cursor="garbage!")


def test_dyad_series(filled):
    out = filled.dyad_series("IND", "RUS", by="month")
    assert out["events"] == 3 and [p["period"] for p in out["periods"]] == ["2025-01", "2025-02", "2025-03"]
    jan, feb, _ = out["periods"]
    assert jan["by_type"] == {"CONSULT": 1} and jan["IND>RUS"] == 1 and feb["RUS>IND"] == 1
    assert feb["by_quad"] == {"2": 1} and feb["goldstein_mean"] == 3.0 and set(feb["topics"]) == {"defence", "energy"}
    (ag,) = out["agreements"]
    assert [h["status"] for h in ag["history"]] == ["drafting", "signed"] and ag["status"] == "signed"
    assert filled.dyad_series("IND", "RUS", by="all", directed=True)["events"] == 2
    assert filled.dyad_series("RUS", "IND", by="year")["periods"][0]["period"] == "2025"
    assert filled.dyad_series("IND", "RUS", by="week")["periods"][0]["period"] == "2025-W01"
    assert filled.dyad_series("IND", "RUS", filters={"type": "CONSULT"})["events"] == 2
    with pytest.raises(StoreError):
        filled.dyad_series("IND", "RUS", by="fortnight")


def test_actors(filled):
    acts = {a["code"]: a for a in filled.actors()}
    assert set(acts) == {"IND", "RUS", "PAK", "USA", "CHN"}
    assert filled.actors()[0]["code"] == "IND" and acts["IND"]["events"] == 4
    ind = filled.actor("ind")
    assert ind["as_actor"] == 2 and ind["as_recipient"] == 2 and ind["partners"] == {"RUS": 3, "PAK": 1}
    assert ind["by_type"]["CONSULT"] == 2 and ind["first_date"] == "2025-01-05"
    assert len(ind["agreements"]) == 1
    assert filled.actor("XYZ") is None


def test_stats(filled):
    s = filled.stats()
    assert (s["documents"], s["events"], s["agreements"]) == (3, 5, 1)
    assert (s["first_date"], s["last_date"]) == ("2025-01-05", "2025-03-15")
    assert s["by_type"]["CONSULT"] == 3 and s["top_dyads"]["IND-RUS"] == 2 and s["by_quad"]["1"] == 3
    assert s["extractors"] == {"test-1": 3}


def test_stories_listing(filled):
    page = filled.stories({"dyad": "IND-RUS"}, limit=1)
    assert len(page["stories"]) == 1 and page["next"]
    rest = filled.stories({"dyad": "IND-RUS"}, limit=10, cursor=page["next"])
    assert len(rest["stories"]) == 2 and rest["next"] is None


def test_documents_and_commitments(store):
    cm = {"parties": ["IND", "RUS"], "action": "increase", "object": "trade to 100 billion dollars",
          "topics": ["trade"], "horizon": "2030", "modality": "future", "evidence": "will raise", "span": [0, 5]}
    ingest_records(store, [record(f"c{i}", [], published=f"2025-0{i + 1}-01", commitments=[cm] if i else [])
                           for i in range(3)])
    page = store.documents(limit=2)
    assert [d["id"] for d in page["documents"]] == ["c0", "c1"] and "text" not in page["documents"][0]
    rest = store.documents(limit=2, cursor=page["next"])
    assert [d["id"] for d in rest["documents"]] == ["c2"] and rest["next"] is None
    assert [d["id"] for d in store.documents(since="2025-02")["documents"]] == ["c1", "c2"]
    cms = store.commitments("RUS,IND")
    assert len(cms) == 2 and cms[0]["date"] == "2025-03-01" and cms[0]["horizon"] == "2030"
    assert store.commitments("PAK") == []
    assert len(store.dyad_series("IND", "RUS")["commitments"]) == 2
