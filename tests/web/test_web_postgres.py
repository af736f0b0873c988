"""The API on PostgreSQL: the same endpoints answer, and values PostgreSQL refuses (NUL) are 400s, not 500s.

Runs when SAMBANDH_TEST_PG_URL is set (.ci/postgres.sh sets it), in a throwaway schema; skipped
otherwise, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

from conftest import FIXTURES, TOKEN

PG_URL = os.environ.get("SAMBANDH_TEST_PG_URL")


@pytest.fixture(scope="module")
def pg_client():
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("SAMBANDH_TEST_PG_URL is not set under CI: .ci/run must start PostgreSQL")
        pytest.skip("PostgreSQL not available (set SAMBANDH_TEST_PG_URL, see .ci/postgres.sh)")
    import psycopg
    from fastapi.testclient import TestClient

    from sambandh.store import ingest, open_store
    from sambandh.web import create_app

    schema = "t_web_" + uuid.uuid4().hex[:10]
    admin = psycopg.connect(PG_URL, autocommit=True)
    admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options={quote('-csearch_path=' + schema)}"
    try:
        store = open_store(url)
        try:
            ingest(store, [str(FIXTURES / "articles.jsonl")], report=lambda msg: None)
        finally:
            store.close()
        with TestClient(create_app(url, TOKEN)) as client:
            yield client
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


@pytest.mark.parametrize("path", ["/events?dyad=IND-RUS&_size=3", "/events.csv?_stream=on", "/dyads/IND/RUS?by=week",
                                  "/actors", "/actors/IND", "/countries", "/agreements?party=IND", "/stories?_sort=reports",
                                  "/documents/web-hi-1", "/locations?country=RUS", "/stats"])
def test_endpoints_answer_on_postgres(pg_client, path):
    assert pg_client.get(path).status_code == 200


def test_postgres_results_match(pg_client):
    d = pg_client.get("/dyads/IND/RUS").json()
    assert d["agreements"][0]["status"] == "in_force" and d["stories"]
    ind = pg_client.get("/actors/IND").json()
    assert ind["partners"][0]["code"] == "RUS" and ind["partners_by_balance"][-1]["balance"] < 0


@pytest.mark.parametrize("path", ["/events?q=%00x", "/documents/a%00b", "/events?topic=%00", "/agreements?status=%00"])
def test_nul_is_a_400_everywhere(pg_client, path):
    resp = pg_client.get(path)
    assert resp.status_code == 400 and "NUL" in resp.json()["error"]


def test_nul_in_a_body_is_a_400(pg_client):
    body = {"documents": [{"text": "India and Russia \u0000 held talks."}]}
    resp = pg_client.post("/ingest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == 400 and "NUL" in resp.json()["error"]
