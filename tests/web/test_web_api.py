"""The HTTP API, endpoint by endpoint: answers on the fixture store, bad parameters, limits and auth."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from conftest import TOKEN, wait_for
from sambandh.web import create_app

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def error_of(resp, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["status"] == status and body["error"] and body["code"].startswith("E"), body
    return body


# -- events -------------------------------------------------------------------------------------------------
def test_events_page_and_cursor(client):
    first = client.get("/events", params={"dyad": "IND-RUS", "_size": 3}).json()
    assert len(first["events"]) == 3 and first["next"]
    assert first["next_url"].startswith("http") and "_next=" in first["next_url"]
    seen = [e["id"] for e in first["events"]]
    page = first
    while page["next"]:
        page = client.get(page["next_url"]).json()
        seen += [e["id"] for e in page["events"]]
    everything = client.get("/events", params={"dyad": "IND-RUS", "_size": 1000}).json()
    assert seen == [e["id"] for e in everything["events"]] and len(seen) == len(set(seen)) >= 8
    dates = [e["date"] for e in everything["events"]]
    assert dates == sorted(dates)
    for e in everything["events"]:
        assert {e["actor"]["code"], e["recipient"]["code"]} == {"IND", "RUS"}


def test_events_filters(client):
    conflict = client.get("/events.json", params={"dyad": "IND-CHN", "quad": "3,4"}).json()["events"]
    assert conflict and all(e["quad_code"] in (3, 4) for e in conflict)
    directed = client.get("/events", params={"dyad": "CHN>IND"}).json()["events"]
    assert directed and all(e["actor"]["code"] == "CHN" for e in directed)
    typed = client.get("/events", params={"type": "consult", "since": "2025-04", "until": "2025"}).json()["events"]
    assert typed and all(e["event"] == "CONSULT" and e["date"] >= "2025-04-01" for e in typed)
    hindi = client.get("/events", params={"q": "मुलाकात"}).json()["events"]
    assert hindi and all("मुलाकात" in e["evidence"] for e in hindi)
    none = client.get("/events", params={"dyad": "IND-RUS", "since": "2030-01-01"}).json()
    assert none == {"events": [], "next": None, "next_url": None, "filters": {"dyad": "IND-RUS", "since": "2030-01-01"}}


def test_events_csv_and_link_header(client):
    resp = client.get("/events.csv", params={"dyad": "IND-RUS", "_size": 2})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 2 and rows[0]["actor_code"] in ("IND", "RUS")
    assert 'rel="next"' in resp.headers["link"] and "_next=" in resp.headers["link"]


@pytest.mark.parametrize("path", ["/events.csv", "/events.json"])
def test_events_stream_exports_everything(client, path):
    total = len(client.get("/events", params={"_size": 1000}).json()["events"])
    resp = client.get(path, params={"_stream": "on"})
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    if path.endswith(".csv"):
        assert len(list(csv.DictReader(io.StringIO(resp.text)))) == total
    else:
        body = json.loads(resp.text)
        assert len(body["events"]) == total and body["next"] is None


@pytest.mark.parametrize("params, fragment", [
    ({"dyad": "IND~RUS"}, "dyad"),
    ({"quad": "9"}, "quad"),
    ({"quad": "x"}, "quad"),
    ({"since": "2025-13-01"}, "since"),
    ({"since": "yesterday"}, "since"),
    ({"story": "abc"}, "story"),
    ({"min_confidence": "2"}, "min_confidence"),
    ({"actor": "not a code!"}, "actor"),
    ({"_size": "0"}, "_size"),
    ({"_size": "5000"}, "_size"),
    ({"_next": "garbage"}, "cursor"),
    ({"_stream": "maybe"}, "_stream"),
    ({"colour": "red"}, "unknown parameter"),
])
def test_events_bad_parameters_are_400_json(client, params, fragment):
    body = error_of(client.get("/events", params=params), 400)
    assert fragment in body["error"]


# -- dyads ----------------------------------------------------------------------------------------------------
def test_dyad_series_topics_agreements_stories(client):
    d = client.get("/dyads/IND/RUS").json()
    assert d["a"] == "IND" and d["b"] == "RUS" and d["by"] == "month" and d["events"] >= 8
    assert [p["period"] for p in d["periods"]] == sorted(p["period"] for p in d["periods"])
    first = d["periods"][0]
    assert first["period"] == "2025-01" and first["by_quad"] and first["by_type"] and first["goldstein_mean"] is not None
    assert d["totals"]["by_type"]["CONSULT"] >= 3 and "trade" in d["totals"]["topics"]
    assert d["names"]["RUS"] == {"en": "Russia", "hi": "रूस"}
    ag = d["agreements"][0]
    steps = [h["status"] for h in ag["history"]]
    assert steps[0] in ("proposed", "negotiating", "drafting") and "signed" in steps and steps[-1] == "in_force"
    assert ag["status"] == "in_force" and all(h["evidence"] and h["date"] for h in ag["history"])
    assert d["stories"] and all(s["articles"] >= 1 for s in d["stories"])
    assert d["stories"] == sorted(d["stories"], key=lambda s: -s["articles"])


def test_dyad_periods_and_direction(client):
    years = client.get("/dyads/ind/rus", params={"by": "year"}).json()
    assert [p["period"] for p in years["periods"]] == ["2025"]
    weeks = client.get("/dyads/IND/RUS", params={"by": "week"}).json()
    assert all("-W" in p["period"] for p in weeks["periods"])
    directed = client.get("/dyads/RUS/IND", params={"directed": "true"}).json()
    assert directed["events"] < years["events"]
    conflict = client.get("/dyads/IND/CHN", params={"quad": "3,4"}).json()
    assert conflict["events"] >= 3 and set(conflict["totals"]["by_quad"]) <= {"3", "4"}


@pytest.mark.parametrize("url", ["/dyads/IND/RUS?by=decade", "/dyads/I!/RUS", "/dyads/IND/RUS?dyad=IND-CHN",
                                 "/dyads/IND/RUS?directed=perhaps", "/dyads/IND/RUS?_size=1000"])
def test_dyad_bad_parameters(client, url):
    error_of(client.get(url), 400)


# -- actors, countries ------------------------------------------------------------------------------------
def test_actors_and_one_actor(client):
    actors = client.get("/actors").json()["actors"]
    assert actors[0]["code"] == "IND" and actors[0]["names"]["hi"] == "भारत"
    assert {"RUS", "CHN", "USA"} <= {a["code"] for a in actors}
    ind = client.get("/actors/IND").json()
    by_volume = [p["code"] for p in ind["partners"]]
    assert by_volume[0] == "RUS" and "CHN" in by_volume
    rus = next(p for p in ind["partners"] if p["code"] == "RUS")
    chn = next(p for p in ind["partners"] if p["code"] == "CHN")
    assert rus["balance"] > 0 > chn["balance"] and chn["conflict"] >= 3
    assert ind["partners_by_balance"][0]["code"] == "RUS"
    assert ind["partners_by_balance"][-1]["balance"] < 0
    assert ind["by_type"] and ind["people"]


def test_actor_errors(client):
    error_of(client.get("/actors/ZZZ"), 404)
    error_of(client.get("/actors/%20bad%20"), 400)
    error_of(client.get("/actors", params={"_size": "-1"}), 400)


def test_countries_for_the_picker(client):
    countries = client.get("/countries").json()["countries"]
    by_code = {c["code"]: c for c in countries}
    assert by_code["IND"]["names"]["hi"][0] == "भारत" and by_code["IND"]["events"] > 0
    assert by_code["RUS"]["lat"] and countries[0]["code"] == "IND"


# -- agreements, stories, documents, locations, stats -----------------------------------------------------
def test_agreements(client):
    all_ = client.get("/agreements").json()["agreements"]
    assert len(all_) == 1 and all_[0]["parties"] == ["IND", "RUS"]
    assert client.get("/agreements", params={"party": "IND,RUS", "status": "in_force"}).json()["agreements"]
    assert client.get("/agreements", params={"party": "CHN"}).json()["agreements"] == []
    one = client.get(f"/agreements/{all_[0]['id']}").json()
    assert one["history"][-1]["status"] == "in_force" and one["history"][-1]["evidence"]
    error_of(client.get("/agreements/999"), 404)
    error_of(client.get("/agreements/abc"), 400)
    error_of(client.get("/agreements", params={"party": "!!"}), 400)


def test_stories(client):
    page = client.get("/stories", params={"dyad": "IND-RUS", "_size": 2}).json()
    assert len(page["stories"]) == 2 and page["next_url"]
    top = client.get("/stories", params={"_sort": "reports", "_size": 3}).json()["stories"]
    sid = top[0]["id"]
    story = client.get(f"/stories/{sid}").json()
    assert story["events"] and all(e["story"] == sid for e in story["events"])
    assert story["names"][story["actor"]]["en"]
    error_of(client.get("/stories/99999"), 404)
    error_of(client.get("/stories/-1"), 400)
    error_of(client.get("/stories", params={"_sort": "random"}), 400)


def test_document_marks_every_span(client):
    doc = client.get("/documents/web-hi-1").json()
    assert doc["lang"] == "hi" and doc["text"].startswith("विदेश मंत्री")
    text = doc["text"]
    kinds = {m["kind"] for m in doc["marks"]}
    assert {"entity", "event", "actor", "recipient", "trigger"} <= kinds
    for m in doc["marks"]:
        assert 0 <= m["start"] < m["end"] <= len(text)
    trig = next(m for m in doc["marks"] if m["kind"] == "trigger")
    assert text[trig["start"]:trig["end"]] == "मुलाकात"
    for ev in doc["events"]:  # the evidence is the original text at the event's span
        assert text[ev["span"][0]:ev["span"][1]] == ev["evidence"]
    assert client.get(f"/documents/{doc['key']}").json()["id"] == "web-hi-1"
    error_of(client.get("/documents/no-such-document"), 404)


def test_locations_and_stats(client):
    places = client.get("/locations", params={"dyad": "IND-RUS"}).json()["locations"]
    names = {p["name"] for p in places}
    assert "Moscow" in names and all(-90 <= p["latitude"] <= 90 for p in places)
    stats = client.get("/stats").json()
    assert stats["documents"] == 11 and stats["languages"] == {"hi": 6, "en": 5} and "database" not in stats


def test_unknown_path_and_method_are_json(client):
    error_of(client.get("/nothing-here"), 404)
    error_of(client.delete("/events"), 405)


def test_openapi_documents_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/events", "/events.json", "/events.csv", "/dyads/{a}/{b}", "/actors", "/actors/{code}", "/agreements",
            "/stories/{story_id}", "/documents/{doc_id}", "/extract", "/ingest"} <= paths
    params = {p["name"] for p in schema["paths"]["/events"]["get"]["parameters"]}
    assert {"dyad", "quad", "topic", "modality", "since", "until", "_size", "_next", "_stream"} <= params


# -- extract ----------------------------------------------------------------------------------------------
def test_extract_one_and_many(client):
    rec = client.post("/extract", json={"id": "t1", "text": "भारत और रूस ने व्यापार समझौते पर हस्ताक्षर किए।",
                                        "published": "2025-03-01", "lang": "hi"}).json()
    assert rec["id"] == "t1" and rec["lang"] == "hi" and rec["contract"] and isinstance(rec["events"], list)
    many = client.post("/extract", json={"documents": [{"text": "India and Russia held talks in Moscow."},
                                                       {"text": "China accused India of provocation."}]}).json()
    assert len(many["records"]) == 2
    assert client.get("/stats").json()["documents"] == 11  # nothing stored


@pytest.mark.parametrize("body, status", [
    ({}, 400), ({"text": ""}, 400), ({"text": "x", "published": "someday"}, 400), ({"text": "x", "lang": "fr"}, 400),
    ({"documents": []}, 400), ([1, 2], 400),
])
def test_extract_bad_bodies(client, body, status):
    error_of(client.post("/extract", json=body), status)


def test_extract_not_json_and_limits(built_db):
    c = TestClient(create_app(str(built_db), max_body=5000, max_text=100, max_documents=2))
    error_of(c.post("/extract", content=b"not json", headers={"content-type": "application/json"}), 400)
    error_of(c.post("/extract", json={"text": "x" * 101}), 413)
    error_of(c.post("/extract", json={"documents": [{"text": "a"}] * 3}), 413)
    error_of(c.post("/extract", content=b"{" + b" " * 6000 + b"}", headers={"content-type": "application/json"}), 413)
    # A body sent without Content-Length (chunked) is counted as it arrives.
    chunks = (b"x" * 1000 for _ in range(10))
    error_of(c.post("/extract", content=chunks, headers={"content-type": "application/json"}), 413)
    error_of(c.get("/events", params={"_size": 1001}), 400)


# -- ingest and auth ----------------------------------------------------------------------------------------
NEW_DOC = {"documents": [{"id": "api-1", "lang": "en", "published": "2025-08-01",
                          "text": "India and Russia signed a defence agreement in Moscow on Friday."}]}


def test_ingest_needs_the_token(db_copy):
    with TestClient(create_app(str(db_copy), TOKEN)) as c:
        error_of(c.post("/ingest", json=NEW_DOC), 401)
        error_of(c.post("/ingest", json=NEW_DOC, headers={"Authorization": "Bearer wrong"}), 401)
        error_of(c.post("/ingest", json=NEW_DOC, headers={"Authorization": f"Basic {TOKEN}"}), 401)
        res = c.post("/ingest", json=NEW_DOC, headers=AUTH).json()
        assert res["stored"] == 1 and res["events"] >= 1
        again = c.post("/ingest", json=NEW_DOC, headers=AUTH).json()
        assert again["stored"] == 0 and again["skipped"] == 1
        assert c.get("/documents/api-1").json()["published"] == "2025-08-01"
        assert c.get("/stats").json()["documents"] == 12
        error_of(c.post("/ingest", json={"documents": [{"text": ""}]}, headers=AUTH), 400)


def test_ingest_is_off_without_a_token(db_copy):
    with TestClient(create_app(str(db_copy))) as c:
        body = error_of(c.post("/ingest", json=NEW_DOC, headers=AUTH), 403)
        assert "--token-env" in body["error"]


def test_token_comparison_is_constant_time():
    import inspect

    from sambandh.web import app as web_app

    assert "hmac.compare_digest" in inspect.getsource(web_app.token_ok)
    assert web_app.token_ok("abc", "abc") and not web_app.token_ok("abd", "abc") and not web_app.token_ok(None, "a")


def test_read_token_guards_the_api_but_not_the_page(built_db):
    with TestClient(create_app(str(built_db), "writer", read_token="reader")) as c:
        error_of(c.get("/events"), 401)
        error_of(c.get("/events", headers={"Authorization": "Bearer wrong"}), 401)
        assert c.head("/events").status_code == 401
        error_of(c.post("/extract", json={"text": "India and Russia held talks."}), 401)
        assert c.get("/events", headers={"Authorization": "Bearer reader"}).status_code == 200
        assert c.get("/stats", headers={"Authorization": "Bearer writer"}).status_code == 200
        error_of(c.post("/ingest", json=NEW_DOC, headers={"Authorization": "Bearer reader"}), 401)
        assert c.get("/").status_code == 200 and c.get("/static/app.js").status_code == 200
        assert c.get("/openapi.json").status_code == 200


def test_create_app_refuses_unknown_settings(built_db):
    with pytest.raises(TypeError, match="max_bdy"):
        create_app(str(built_db), max_bdy=1)


# -- dashboard assets -------------------------------------------------------------------------------------------
def test_dashboard_assets_are_served_and_offline(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/app.js", "/static/style.css", "/static/i18n.json"):
        resp = client.get(asset)
        assert resp.status_code == 200, asset
        assert "https://" not in resp.text and "http://" not in resp.text.replace("http://www.w3.org/2000/svg", "")
    i18n = client.get("/static/i18n.json").json()
    assert set(i18n["en"]["ui"]) == set(i18n["hi"]["ui"])
    assert i18n["hi"]["types"]["CONSULT"] and i18n["hi"]["status"]["signed"]


# -- sambandh serve -------------------------------------------------------------------------------------------
def test_serve_prints_its_address_and_answers(built_db):
    import httpx

    env = {**os.environ, "WEB_TEST_TOKEN": "abc"}
    proc = subprocess.Popen([sys.executable, "-m", "sambandh.cli", "serve", "--db", str(built_db), "--port", "0",
                             "--token-env", "WEB_TEST_TOKEN"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        address = proc.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:") and address.endswith("/")
        resp = wait_for(address + "stats")
        assert resp.json()["documents"] == 11
        assert httpx.post(address + "ingest", json=NEW_DOC, timeout=5).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_an_empty_token_variable(built_db):
    from click.testing import CliRunner

    from sambandh.cli import cli

    res = CliRunner().invoke(cli, ["serve", "--db", str(built_db), "--token-env", "NO_SUCH_VARIABLE_XYZ"])
    assert res.exit_code == 2 and "NO_SUCH_VARIABLE_XYZ" in res.output


@pytest.mark.parametrize("path", ["/events?q=%00x", "/documents/a%00b", "/stats?x=%00"])
def test_nul_in_an_address_is_a_400(client, path):
    body = error_of(client.get(path), 400)
    assert "NUL" in body["error"]
