"""The reference article, in Hindi (../shared) and in our own English rendering, must read right."""

from __future__ import annotations

from pathlib import Path

import pytest

from sambandh.read import read_source

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REFERENCE = ROOT.parent / "shared" / "examples" / "india-russia-moscow-talks.hi.txt"

HI = pytest.param(REFERENCE, id="hi", marks=pytest.mark.skipif(not REFERENCE.exists(), reason="no ../shared"))
EN = pytest.param(FIXTURES / "india-russia-moscow-talks.en.txt", id="en")


@pytest.fixture(params=[HI, EN])
def record(request, pipeline):
    doc = next(read_source(str(request.param), published="2025-11-17"))
    return pipeline.record(doc)


def triples(rec, modality="asserted"):
    return {(e["actor"]["code"], e["recipient"]["code"], e["event"], e["reciprocal"])
            for e in rec["events"] if e["modality"] == modality}


def test_meeting_of_the_two_foreign_ministers_in_moscow(record):
    consult = [e for e in record["events"] if e["event"] == "CONSULT" and e["actor"].get("person")]
    assert consult, "the Jaishankar–Lavrov meeting is missing"
    ev = consult[0]
    assert (ev["actor"]["code"], ev["actor"]["name"], ev["actor"]["office"]) == \
        ("IND", "S. Jaishankar", "foreign_minister")
    assert (ev["recipient"]["code"], ev["recipient"]["name"], ev["recipient"]["office"]) == \
        ("RUS", "Sergey Lavrov", "foreign_minister")
    assert ev["event_loc"]["name"] == "Moscow" and ev["mode"] == "visit"
    assert ev["sentence"] == 0 and ev["evidence"] in record_text(record)


def record_text(record):
    path = REFERENCE if record["lang"] == "hi" else FIXTURES / "india-russia-moscow-talks.en.txt"
    return path.read_text(encoding="utf-8")


def test_agreements_to_expand_trade_and_investment(record):
    found = triples(record)
    undirected = {(min(a, r), max(a, r), t) for a, r, t, _ in found}
    assert ("IND", "RUS", "AGREE", True) in found or ("RUS", "IND", "AGREE", True) in found  # trade
    assert ("IND", "RUS", "AGREE", False) in found  # investment
    assert ("RUS", "IND", "AGREE", False) in found  # opportunities for Indian companies
    assert undirected == {("IND", "RUS", "CONSULT"), ("IND", "RUS", "AGREE")}, "no event the article does not state"


def test_may_announce_soon_is_hypothetical(record):
    hyp = triples(record, "hypothetical")
    assert any(t == "AGREE" for _, _, t, _ in hyp)


def test_topics(record):
    for topic in ("defence", "trade", "energy", "space", "science_technology", "terrorism", "investment"):
        assert topic in record["topics"]
    assert set(record["countries"]) == {"IND", "RUS", "UKR"}


def test_one_draft_agreement(record):
    assert len(record["agreements"]) == 1
    ag = record["agreements"][0]
    assert set(ag["parties"]) == {"IND", "RUS"}
    assert set(ag["sectors"]) == {"defence", "science_technology", "space", "trade"}
    assert ag["status"] == "drafting"


def test_commitments(record):
    got = {(tuple(sorted(c["parties"])), c["action"], tuple(c["topics"])) for c in record["commitments"]}
    assert (("IND", "RUS"), "increase", ("trade",)) in got
    assert (("IND",), "increase", ("investment",)) in got
    rus = [c for c in record["commitments"] if c["parties"] == ["RUS"]]
    assert rus and rus[0]["action"] == "provide" and rus[0]["beneficiary"] == "IND"
    trade = next(c for c in record["commitments"] if c["topics"] == ["trade"])
    assert trade["horizon_kind"] == "coming years"


def test_spans_point_into_the_original_text(record):
    text = record_text(record)
    for ev in record["events"]:
        s, e = ev["span"]
        assert text[s:e] == ev["evidence"]
        a, b = ev["actor"]["span"]
        assert text[a:b] == ev["actor"]["text"]
    for ent in record["entities"]:
        s, e = ent["span"]
        assert text[s:e] == ent["text"]
