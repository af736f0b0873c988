"""A small store built once per session from the fixture articles (Hindi and English, written for these
tests), and API clients on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "test-token-1234"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    from sambandh.store import ingest, open_store

    path = tmp_path_factory.mktemp("webdb") / "sambandh.db"
    store = open_store(str(path))
    try:
        res = ingest(store, [str(FIXTURES / "articles.jsonl")], report=lambda msg: None)
    finally:
        store.close()
    assert res.stored == 11 and res.events > 10, res.as_dict()
    return path


@pytest.fixture
def db_copy(built_db, tmp_path) -> Path:
    """A copy a test may write to (ingest)."""
    dest = tmp_path / "sambandh.db"
    shutil.copy(built_db, dest)
    return dest


@pytest.fixture(scope="session")
def app(built_db):
    from sambandh.web import create_app

    return create_app(str(built_db), TOKEN)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


def wait_for(url: str, seconds: float = 30.0):
    """The server listens from the start (the printed address is bound); the app may take a moment."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
