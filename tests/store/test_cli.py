"""The store commands end to end, with the real extractor; an interrupted ingest resumes to the same database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from sambandh.cli import cli
from sambandh.store import open_store

from .helpers import ARTICLES

PLACES = [("Russia", "Moscow"), ("Japan", "Tokyo"), ("France", "Paris"), ("Brazil", "Brasilia"),
          ("Kenya", "Nairobi"), ("Germany", "Berlin")]


def corpus(path, n: int) -> str:
    """n invented English articles, each different, many with India-X talks."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            country, city = PLACES[i % len(PLACES)]
            text = (f"India and {country} held talks in {city} on Monday about trade and defence cooperation. "
                    f"The foreign minister of India met his {country} counterpart, officials said. "
                    f"Report number {i} adds that both sides agreed to meet again.")
            day = f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}"
            fh.write(json.dumps({"id": f"gen-{i}", "text": text, "published": day}) + "\n")
        fh.write("{broken json\n")
    return str(path)


def sambandh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from sambandh.cli import main; main()", *args],
                          capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}, timeout=300)


def counts(url: str) -> dict:
    s = open_store(url)
    st = s.stats()
    stories = sorted((x["event"], x["actor"] or "", x["recipient"] or "", x["first_date"] or "", x["mentions"],
                      x["articles"]) for x in s.stories(limit=10_000)["stories"])
    s.close()
    keep = ("documents", "events", "stories", "agreements", "commitments", "entities", "actors", "rejects")
    return {**{k: st[k] for k in keep}, "story_shapes": stories}


def test_ingest_exit_status_and_messages(db_url, tmp_path):
    ok = tmp_path / "ok.txt"
    ok.write_text(ARTICLES[0], encoding="utf-8")
    r = sambandh("ingest", str(tmp_path / "missing.jsonl"), "--db", db_url)
    assert r.returncode == 1 and "missing.jsonl: no such file" in r.stderr
    r = sambandh("ingest", str(ok), str(tmp_path / "missing.jsonl"), "--db", db_url, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["stored"] == 1 and "1 bad source" in r.stderr
    r = sambandh("ingest", str(ok), env={"SAMBANDH_DB": db_url})
    assert r.returncode == 0 and "1 already stored" in r.stderr


def test_query_commands(db_url, tmp_path):
    src = corpus(tmp_path / "c.jsonl", 12)
    run = CliRunner()
    r = run.invoke(cli, ["ingest", src, "--db", db_url, "--no-progress"])
    assert r.exit_code == 0, r.output
    for args in (["stats"], ["stats", "--format", "json", "--rejects"], ["events", "--limit", "3"],
                 ["events", "--dyad", "IND-JPN", "--format", "jsonl"], ["events", "--format", "csv"],
                 ["events", "--since", "2025-03-01", "--until", "2025-06-30", "--format", "json"],
                 ["dyad", "IND", "RUS", "--by", "month"], ["dyad", "IND", "RUS", "--format", "json"],
                 ["export", "--format", "jsonl"], ["export", "--format", "csv"], ["export", "--format", "gdelt"]):
        r = run.invoke(cli, [*args, "--db", db_url])
        assert r.exit_code == 0, (args, r.output)
    stats = json.loads(run.invoke(cli, ["stats", "--format", "json", "--db", db_url]).output)
    assert stats["documents"] == 12 and stats["rejects"] == 1
    r = run.invoke(cli, ["export", "--format", "parquet", "--db", db_url])
    assert r.exit_code != 0 and "-o" in r.output
    out = tmp_path / "e.parquet"
    r = run.invoke(cli, ["export", "--format", "parquet", "-o", str(out), "--db", db_url])
    assert r.exit_code == 0 and out.exists()
    dyad = json.loads(run.invoke(cli, ["dyad", "IND", "JPN", "--format", "json", "--db", db_url]).output)
    assert dyad["a"] == "IND" and "periods" in dyad
    r = sambandh("events", "--dyad", "INDIA", "--db", db_url)
    assert r.returncode == 2 and "E511" in r.stderr


def test_reprocess(db_url, tmp_path):
    src = corpus(tmp_path / "c.jsonl", 6)
    run = CliRunner()
    assert run.invoke(cli, ["ingest", src, "--db", db_url]).exit_code == 0
    before = counts(db_url)
    s = open_store(db_url)
    with s.begin() as conn:
        from sambandh.store.schema import documents

        conn.execute(documents.update().values(extractor="sambandh-0.0.1"))
    s.close()
    r = run.invoke(cli, ["reprocess", "--db", db_url])
    assert r.exit_code == 0 and "6 document(s) reprocessed" in r.output
    assert counts(db_url) == before
    r = run.invoke(cli, ["reprocess", "--db", db_url])
    assert "0 document(s) reprocessed" in r.output
    r = run.invoke(cli, ["reprocess", "--all", "--db", db_url, "--jobs", "2"])
    assert "6 document(s) reprocessed" in r.output and counts(db_url) == before


def test_parallel_ingest_gives_the_same_database(two_dbs, tmp_path):
    src = corpus(tmp_path / "c.jsonl", 40)
    one, two = two_dbs
    assert sambandh("ingest", src, "--db", one, "--batch-size", "15").returncode == 0
    r = sambandh("ingest", src, "--db", two, "--batch-size", "15", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert counts(one) == counts(two)


def test_killed_ingest_resumes_to_the_same_database(two_dbs, tmp_path):
    full, resumed = two_dbs
    src = corpus(tmp_path / "big.jsonl", 600)
    r = sambandh("ingest", src, "--db", full, "--batch-size", "10")
    assert r.returncode == 0, r.stderr
    expected = counts(full)
    assert expected["documents"] == 600 and expected["rejects"] == 1

    cmd = [sys.executable, "-c", "from sambandh.cli import main; main()", "ingest", src, "--db", resumed,
           "--batch-size", "10"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    s = open_store(resumed)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = s.stats()["documents"]
        if stored >= 100 or proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = s.stats()["documents"]
    s.close()
    assert 0 < stored < 600, f"the ingest was not stopped midway ({stored} stored)"
    r = sambandh("ingest", src, "--db", resumed, "--batch-size", "10")
    assert r.returncode == 0, r.stderr
    assert f"{stored} already stored" in r.stderr
    assert counts(resumed) == expected


def test_progress_line(db_url, tmp_path):
    src = corpus(tmp_path / "c.jsonl", 5)
    r = sambandh("ingest", src, "--db", db_url, "--progress", "--batch-size", "2")
    assert r.returncode == 0 and "documents read" in r.stderr and "docs/s" in r.stderr
