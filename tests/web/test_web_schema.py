"""Property-based run over the OpenAPI schema (schemathesis): no request, however odd, gets a 5xx.

Each operation's strategy is drawn by hypothesis directly (schemathesis' pytest plugin does not
run under this pytest); a few examples per operation keep the whole run well under a minute.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import TOKEN

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 15


@pytest.fixture(scope="module")
def api_schema(built_db, tmp_path_factory):
    from sambandh.web import create_app

    db = tmp_path_factory.mktemp("schemadb") / "sambandh.db"
    shutil.copy(built_db, db)  # ingest writes here, not in the shared store
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db), TOKEN, max_text=2000))


def test_schema_lists_the_operations(api_schema):
    ops = [r.ok() for r in api_schema.get_all_operations()]
    assert len(ops) >= 14


@pytest.mark.parametrize("auth", [True, False], ids=["with-token", "without-token"])
def test_no_server_errors(api_schema, auth):
    headers = {"Authorization": f"Bearer {TOKEN}"} if auth else {}
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        op = result.ok()
        if not auth and op.method.upper() == "GET":
            continue  # reads do not look at the token: one run of them is enough

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}: "
                                f"{response.status_code} {response.text[:200]}")

        run()
    assert not failures, "\n".join(failures[:10])
