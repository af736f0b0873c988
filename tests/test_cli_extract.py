"""`sambandh extract` as a user runs it: output formats, and bad input refused in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "india-russia-moscow-talks.en.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sambandh.cli", *args], input=stdin, capture_output=True,
                          check=False)


def test_json_for_one_article():
    res = run("extract", str(FIXTURE), "--published", "2025-11-17")
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout)
    assert rec["id"] == FIXTURE.name and rec["lang"] == "en" and rec["date"] == "2025-11-17"
    assert {e["event"] for e in rec["events"]} >= {"CONSULT", "AGREE"}


def test_jsonl_keeps_ids_and_table_for_people(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"id": "n1", "text": "भारत ने पाकिस्तान की आलोचना की।", "published": "2024-01-02"},
        {"id": "n2", "text": "Japan and India held talks in Tokyo.", "lang": "en"},
    ]) + "\n", encoding="utf-8")
    res = run("extract", str(src), "--format", "jsonl")
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in recs] == ["n1", "n2"]
    assert recs[0]["events"][0]["event"] == "ACCUSE"
    table = run("extract", "-", "--format", "table", stdin=b"Japan and India held talks in Tokyo.")
    assert table.returncode == 0 and "CONSULT" in table.stdout.decode()


def test_bad_input_is_one_line_and_non_zero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "India met Japan."}\n{oops\n', encoding="utf-8")
    french = tmp_path / "fr.txt"
    french.write_text("La France et l'Allemagne ont signé un accord commercial hier soir à Paris.", encoding="utf-8")
    for path, needle in ((empty, "empty"), (binary, "binary"), (bad, "line 2"), (french, "not supported"),
                         (tmp_path / "missing.txt", "no such file")):
        res = run("extract", str(path))
        err = res.stderr.decode()
        assert res.returncode == 2, (path, err)
        assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_skip_bad_reports_and_goes_on(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "India met Japan in Delhi."}\n{oops\n{"id": "c", "text": "x", "lang": "de"}\n'
                   '{"id": "d", "text": "Japan praised India."}\n', encoding="utf-8")
    res = run("extract", str(bad), "--skip-bad")
    assert res.returncode == 0
    assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == ["a", "d"]
    err = res.stderr.decode()
    assert "line 2" in err and "'de'" in err and "2 bad document(s) skipped" in err
