"""Storing records: idempotency, stories, agreements across articles, replacement, rejects."""

from __future__ import annotations

from sambandh.store import ingest_records, open_store

from .conftest import agreement, event, record


def counts(store) -> dict[str, int]:
    s = store.stats()
    return {k: s[k] for k in ("documents", "events", "stories", "agreements", "commitments", "entities", "actors",
                              "rejects")}


def test_records_stored_once(store):
    recs = [record("a", [event("CONSULT", "IND", "RUS", "2025-03-01")], published="2025-03-01"),
            record("b", [event("ACCUSE", "PAK", "IND", "2025-03-02", quad_code=3)], published="2025-03-02")]
    r1 = ingest_records(store, recs)
    assert (r1.stored, r1.events, r1.skipped) == (2, 2, 0)
    before = counts(store)
    r2 = ingest_records(store, recs)
    assert (r2.stored, r2.events, r2.skipped) == (0, 0, 2)
    assert counts(store) == before
    assert before["documents"] == 2 and before["events"] == 2 and before["actors"] == 3


def test_same_text_is_one_document_whatever_its_id(store):
    text = "India and Russia held talks in Moscow on Monday."
    ingest_records(store, [record("x1", [], text=text), record("x2", [], text="  " + text.replace(" ", "\n ") + " ")])
    assert store.stats()["documents"] == 1


def test_reports_of_one_event_make_one_story(store):
    recs = [
        record("r1", [event("CONSULT", "IND", "RUS", "2025-11-17", mode="visit", evidence="Jaishankar met Lavrov")],
               published="2025-11-17"),
        # the other direction, a day later, another source: the same real event
        record("r2", [event("CONSULT", "RUS", "IND", "2025-11-18", mode="visit", evidence="Lavrov met Jaishankar")],
               published="2025-11-18", url="https://other.example/r2"),
        # same dyad and type, weeks later: another story
        record("r3", [event("CONSULT", "IND", "RUS", "2025-12-20")], published="2025-12-20"),
        # same days, but a phone call, not a visit: another story
        record("r4", [event("CONSULT", "IND", "RUS", "2025-11-17", mode="phone")], published="2025-11-17"),
        # same days, but a future event: another story
        record("r5", [event("CONSULT", "IND", "RUS", "2025-11-17", modality="future")], published="2025-11-17"),
    ]
    ingest_records(store, recs)
    assert store.stats()["stories"] == 4
    page = store.stories({"dyad": "IND-RUS"})
    first = page["stories"][0]
    assert (first["first_date"], first["last_date"]) == ("2025-11-17", "2025-11-18")
    assert (first["mentions"], first["articles"], first["sources"]) == (2, 2, 2)
    story = store.story(first["id"])
    assert [e["source_id"] for e in story["events"]] == ["r1", "r2"]
    assert store.story(10**6) is None


def test_two_mentions_in_one_article_count_once_as_article(store):
    ingest_records(store, [record("m", [event("CONSULT", "IND", "RUS", "2025-01-05", id="e1"),
                                        event("CONSULT", "IND", "RUS", "2025-01-05", id="e2", sentence=3)])])
    (s,) = store.stories()["stories"]
    assert (s["mentions"], s["articles"]) == (2, 1)


def test_undated_events_stay_in_their_own_document(store):
    ingest_records(store, [record("u1", [event("CONSULT", "IND", "RUS")]),
                           record("u2", [event("CONSULT", "IND", "RUS")])])
    assert store.stats()["stories"] == 2


def test_agreement_across_articles_grows_its_history(store):
    ingest_records(store, [
        record("g1", [], published="2025-01-10", agreements=[agreement(["IND", "RUS"], "drafting",
                                                                       evidence="a draft is being prepared")]),
        record("g2", [], published="2025-02-01", agreements=[agreement(["RUS", "IND"], "signed",
                                                                       title="India Russia trade agreement",
                                                                       evidence="they signed it")]),
        record("g3", [], published="2025-02-02", agreements=[agreement(["IND", "RUS"], "signed",
                                                                       evidence="signed yesterday")]),
        # other parties: another agreement
        record("g4", [], published="2025-02-02", agreements=[agreement(["IND", "JPN"], "proposed")]),
        # same parties, unrelated sector and title: another agreement
        record("g5", [], published="2025-02-03", agreements=[agreement(["IND", "RUS"], "negotiating",
                                                                       title="nuclear fuel deal",
                                                                       sectors=["nuclear"])]),
    ])
    ags = store.agreements(party="IND,RUS")
    assert len(ags) == 2
    trade = next(a for a in ags if "trade" in a["sectors"])
    assert trade["status"] == "signed" and trade["articles"] == 3 and trade["mentions"] == 3
    assert [h["status"] for h in trade["history"]] == ["drafting", "signed"]
    assert trade["history"][1]["reports"] == 2 and trade["history"][0]["evidence"] == "a draft is being prepared"
    assert (trade["first_date"], trade["last_date"]) == ("2025-01-10", "2025-02-02")
    assert store.agreement(trade["id"])["history"] == trade["history"]
    assert len(store.agreements()) == 3
    assert [a["parties"] for a in store.agreements(status="proposed")] == [["IND", "JPN"]]


def test_new_extractor_version_replaces_derived_rows(store):
    ingest_records(store, [record("v", [event("CONSULT", "IND", "RUS", "2025-01-01")], extractor="x-1")])
    r = ingest_records(store, [record("v", [event("ACCUSE", "IND", "PAK", "2025-01-01", quad_code=3),
                                            event("ACCUSE", "IND", "CHN", "2025-01-01", quad_code=3)],
                                      extractor="x-2")])
    assert (r.stored, r.replaced) == (0, 1)
    s = store.stats()
    assert (s["documents"], s["events"], s["stories"]) == (1, 2, 2)
    assert s["extractors"] == {"x-2": 1}
    assert store.actor("RUS") is None and store.actor("PAK")["as_recipient"] == 1


def test_new_text_at_a_known_url_replaces_the_document(store):
    url = "https://news.example/a"
    ingest_records(store, [record("a", [event("CONSULT", "IND", "RUS", "2025-01-01")], text="First version.",
                                  url=url)])
    ingest_records(store, [record("a", [event("CONSULT", "IND", "RUS", "2025-01-01")], text="Corrected version.",
                                  url=url)])
    s = store.stats()
    assert (s["documents"], s["events"], s["stories"]) == (1, 1, 1)
    assert store.document(url.rsplit("/", 1)[-1]) is not None
    assert store.document("a")["text"] == "Corrected version."


def test_bad_items_go_to_rejects_and_the_batch_goes_on(store):
    items = [record("ok", []), {"id": "no-text"}, "not an object", {"id": "e", "text": " "}]
    r = ingest_records(store, items)
    assert (r.stored, r.rejects) == (1, 3)
    rej = store.rejects()
    assert len(rej) == 3 and {x["stage"] for x in rej} == {"read"}
    ingest_records(store, items)  # the same failures again add no copies
    assert store.stats()["rejects"] == 3


def test_extraction_failure_is_rejected_with_its_reason(db_url):
    class Boom:
        def record(self, doc):
            if "boom" in doc.text:
                raise RuntimeError("lexicon exploded")
            return {"id": doc.id, "contract": "1.0", "lang": "en", "published": None, "date": None,
                    "countries": [], "topics": [], "entities": [], "events": [], "agreements": [],
                    "commitments": [], "extractor": "fake"}

    store = open_store(db_url)
    r = ingest_records(store, [{"id": "1", "text": "fine text"}, {"id": "2", "text": "boom text"},
                               {"id": "3", "text": "more fine text"}], pipeline=Boom(), batch_size=10)
    assert (r.stored, r.rejects) == (2, 1)
    (rej,) = store.rejects()
    assert rej["stage"] == "extract" and "lexicon exploded" in rej["reason"]
    store.close()


def test_document_round_trip(store):
    ev = event("CONSULT", "IND", "RUS", "2025-11-17", topics=["trade", "defence"],
               event_loc={"name": "Moscow", "country": "RUS", "latitude": 55.75, "longitude": 37.62})
    rec = record("doc-1", [ev], published="2025-11-17", text="India and Russia talked in Moscow.",
                 commitments=[{"parties": ["IND", "RUS"], "action": "increase", "object": "trade",
                               "topics": ["trade"], "horizon": "2030", "modality": "future",
                               "evidence": "they will", "span": [0, 9]}],
                 agreements=[agreement(["IND", "RUS"], "drafting")])
    ingest_records(store, [rec])
    doc = store.document("doc-1")
    assert doc["id"] == "doc-1" and doc["published"] == "2025-11-17" and doc["text"].startswith("India")
    assert store.document(doc["key"])["id"] == "doc-1"
    (got,) = doc["events"]
    assert got["event_loc"] == ev["event_loc"] and got["topics"] == ["trade", "defence"]
    assert got["key"] == ev["id"] and got["document"] == doc["key"]
    assert doc["commitments"][0]["horizon"] == "2030" and doc["agreements"][0]["status"] == "drafting"
    assert doc["entities"][0]["country"] == "IND"
    assert "text" not in store.document("doc-1", text=False)
    assert store.document("nope") is None


def test_record_without_text_and_its_article_are_one_document(store):
    text = "India and Japan held talks in Tokyo on Friday."
    ingest_records(store, [record("t1", [event("CONSULT", "IND", "JPN", "2025-04-04")], published="2025-04-04")])
    # the article itself arrives later, with its text: no second document, and reprocess can now use the text
    r = ingest_records(store, [{"id": "t1", "text": text, "published": "2025-04-04"}],
                       pipeline=_NoExtract())
    assert (r.stored, r.skipped) == (0, 1)
    assert store.stats()["documents"] == 1 and store.document("t1")["text"] == text
    # and the other way round: an article stored with its text, then its extract record (a shard)
    ingest_records(store, [{"id": "t2", "text": "Kenya and France met in Paris."}],
                   pipeline=_Echo([event("CONSULT", "KEN", "FRA", "2025-04-05")]))
    r = ingest_records(store, [record("t2", [event("CONSULT", "KEN", "FRA", "2025-04-05")], extractor="fake")])
    assert (r.stored, r.skipped) == (0, 1)
    r = ingest_records(store, [record("t2", [event("ACCUSE", "KEN", "FRA", "2025-04-05")], extractor="newer")])
    assert (r.stored, r.replaced) == (0, 1)
    s = store.stats()
    assert s["documents"] == 2 and s["by_type"] == {"CONSULT": 1, "ACCUSE": 1}


class _NoExtract:
    def record(self, doc):
        raise AssertionError("must not extract")


class _Echo:
    def __init__(self, events):
        self.events = events

    def record(self, doc):
        return {"id": doc.id, "contract": "1.0", "lang": "en", "published": doc.published, "date": None,
                "countries": [], "topics": [], "entities": [], "events": self.events, "agreements": [],
                "commitments": [], "extractor": "fake"}
