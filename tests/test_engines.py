"""Engines: local, process and ray give the same records; shards, rejects, and resuming a killed Ray run.

Ray starts slowly (about 10 s), so the tests that need it share one local Ray session (2 CPUs) through a
module fixture; the run that the kill test kills is a separate driver process connected to that session.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, ROOT, SHARED
from sambandh.cli import cli
from sambandh.engines import run_engine, write_shards
from sambandh.engines_shards import expand_inputs, plan, read_rejects, read_shards

CORPUS = FIXTURES / "engines-corpus.jsonl"
DEV = SHARED / "corpus" / "bbc-hindi-dev.jsonl"
GOOD = 9  # documents of CORPUS that extract; 3 lines are bad, 1 is blank
SMALL = "0.0005"  # MB per shard: CORPUS becomes 5 shards


@pytest.fixture(scope="module")
def ray_session():
    ray = pytest.importorskip("ray")
    import logging

    if not ray.is_initialized():
        ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def dev60(tmp_path_factory):
    """The first 60 documents of the dev corpus, when ../shared is there."""
    if not DEV.exists():
        pytest.skip(f"{DEV} not present")
    path = tmp_path_factory.mktemp("dev") / "dev60.jsonl"
    with DEV.open(encoding="utf-8") as fh:
        path.write_text("".join(next(fh) for _ in range(60)), encoding="utf-8")
    return path


def good_objs(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj["text"].strip():
            out.append(obj)
    return out


def canon(records) -> list[str]:
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records)


def extract_out(*args: str) -> str:
    res = CliRunner().invoke(cli, ["extract", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def shard_files(out: Path) -> dict[str, tuple[int, int]]:
    """Shard name -> (inode, mtime in ns): a file rewritten gets a new inode (written elsewhere, renamed)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.iterdir() if p.is_file() and p.suffix in (".jsonl", ".parquet")}


# -- records in memory -------------------------------------------------------------------------------------------


def test_ray_engine_gives_the_local_records_in_input_order(ray_session):
    objs = good_objs(CORPUS)
    local = list(run_engine("local", objs))
    ray = list(run_engine("ray", objs, 2, batch=2))
    assert [r["id"] for r in ray] == [r["id"] for r in local]
    assert ray == local


def test_bad_documents_go_to_on_error_in_every_engine(ray_session):
    objs = [{"id": "a", "text": "India and Russia signed a trade agreement."}, {"id": "b", "text": ""},
            {"id": "c", "text": "China and Russia held talks in Beijing."}]
    for engine in ("local", "process", "ray"):
        bad: list[str] = []

        def note(obj, err, bad=bad):
            bad.append(f"{obj['id']}: {err}")

        recs = list(run_engine(engine, objs, 2, on_error=note))
        assert [r["id"] for r in recs] == ["a", "c"], engine
        assert len(bad) == 1 and bad[0].startswith("b: ") and "text" in bad[0], engine


def test_extract_without_out_prints_the_same_records_from_every_engine(ray_session):
    outs = {}
    for engine in ("local", "process", "ray"):
        res = CliRunner().invoke(cli, ["extract", str(CORPUS), "--skip-bad", "--engine", engine, "--workers", "2"])
        assert res.exit_code == 0, res.output
        outs[engine] = [line for line in res.stdout.splitlines() if line.startswith("{")]
        assert "3 bad document(s) skipped" in res.stderr, engine
    assert len(outs["local"]) == GOOD
    assert outs["process"] == outs["local"] and outs["ray"] == outs["local"]  # in input order


# -- shards -----------------------------------------------------------------------------------------------------


def test_every_engine_writes_the_same_shards_and_rejects(ray_session, tmp_path):
    outs = {}
    for engine in ("local", "process", "ray"):
        outs[engine] = tmp_path / engine
        msg = extract_out(str(CORPUS), "--engine", engine, "--workers", "2", "--out", str(outs[engine]),
                          "--shard-mb", SMALL)
        assert f"{GOOD} records" in msg and "3 rejected" in msg, msg
    names = {e: sorted(shard_files(o)) for e, o in outs.items()}
    assert len(names["local"]) == 5 and names["local"] == names["process"] == names["ray"]
    local = list(read_shards(outs["local"]))
    assert len(local) == GOOD and len({r["id"] for r in local}) == GOOD
    # the records of `extract --format jsonl`, whatever the engine and however the input was cut
    plain = [json.loads(line) for line in extract_out(str(CORPUS), "--skip-bad").splitlines() if line.startswith("{")]
    assert canon(plain) == canon(local)
    for engine in ("process", "ray"):
        assert canon(read_shards(outs[engine])) == canon(local), engine
    rejects = sorted(read_rejects(outs["ray"]), key=lambda r: r["place"])
    assert canon(rejects) == canon(read_rejects(outs["local"]))
    by_id = {r["id"]: r for r in rejects}
    assert set(by_id) == {"no-text", None}
    assert "missing or empty 'text'" in by_id["no-text"]["reason"]
    reasons = " | ".join(r["reason"] for r in rejects)
    assert "invalid JSON" in reasons and "expected a JSON object" in reasons
    assert all(r["origin"] == str(CORPUS.resolve()) and r["place"] for r in rejects)


def test_dev_corpus_ray_equals_local(ray_session, dev60, tmp_path):
    expect = list(run_engine("local", good_objs(dev60)))
    assert len(expect) >= 55
    extract_out(str(dev60), "--engine", "ray", "--workers", "2", "--out", str(tmp_path / "ray"), "--shard-mb", "0.05")
    assert len(shard_files(tmp_path / "ray")) >= 2
    assert canon(read_shards(tmp_path / "ray")) == canon(expect)
    assert canon(run_engine("ray", good_objs(dev60), 2)) == canon(expect)


def test_parquet_in_and_out(ray_session, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    objs = good_objs(CORPUS)
    rows = [{"id": o.get("id"), "text": o["text"], "published": o.get("published")} for o in objs]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=3)
    out = tmp_path / "out"
    extract_out(str(tmp_path / "in.parquet"), "--engine", "ray", "--workers", "2", "--out", str(out),
                "--shard-format", "parquet", "--shard-mb", "0.000001")
    assert len(shard_files(out)) == 3  # one shard per row group here
    table = pq.read_table(out)
    assert table.schema.names == ["id", "extractor", "record"]
    assert all(pa.types.is_string(t) for t in table.schema.types)
    assert canon(read_shards(out)) == canon(run_engine("local", objs))


def test_rerun_skips_written_shards_and_refuses_other_options(tmp_path):
    out = tmp_path / "out"
    extract_out(str(CORPUS), "--out", str(out), "--shard-mb", SMALL)
    before = shard_files(out)
    msg = extract_out(str(CORPUS), "--engine", "process", "--out", str(out), "--shard-mb", SMALL)
    assert "0 shard(s) written, 5 already there" in msg
    assert shard_files(out) == before
    res = CliRunner().invoke(cli, ["extract", str(CORPUS), "--out", str(out), "--shard-mb", "1"])
    assert res.exit_code != 0 and "shard_mb" in str(res.exception)


def test_plan_cuts_lines_once(tmp_path):
    """Every line belongs to exactly one block, whatever the block size."""
    from sambandh.engines_shards import read_block

    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    want = [line for line in lines if line.strip()]
    for mb in (0.0001, 0.0003, 0.0005, 1):
        got = [raw for t in plan([str(CORPUS)], mb) for _, raw, _ in
               ((p, o if e else json.dumps(o, ensure_ascii=False), e) for p, o, e in read_block(t))]
        assert len(got) == len(want), mb


def test_write_shards_local_engine_summaries(tmp_path):
    from sambandh.engines_shards import prepare_out

    tasks = plan(expand_inputs([str(CORPUS)]), float(SMALL))
    prepare_out(tmp_path, "jsonl", float(SMALL))
    summaries = list(write_shards("local", tasks, str(tmp_path)))
    assert sum(s["docs"] for s in summaries) == GOOD + 3
    assert sum(s["records"] for s in summaries) == GOOD and sum(s["rejects"] for s in summaries) == 3


# -- kill and rerun --------------------------------------------------------------------------------------------


def test_killed_ray_run_resumes_and_writes_each_shard_once(ray_session, tmp_path):
    corpus = tmp_path / "corpus.jsonl"  # 4 copies of the fixture, with distinct ids: 20 shards
    with corpus.open("w", encoding="utf-8") as fh:
        for k in range(4):
            for obj in good_objs(CORPUS):
                fh.write(json.dumps({**obj, "id": f"{obj.get('id', 'noid')}-{k}"}, ensure_ascii=False) + "\n")
    total = len(plan([str(corpus)], float(SMALL)))
    out = tmp_path / "out"
    env = {**os.environ, "SAMBANDH_SHARD_DELAY": "0.5"}
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.Popen([sys.executable, "-m", "sambandh.cli", "extract", str(corpus), "--engine", "ray",
                             "--workers", "2", "--out", str(out), "--shard-mb", SMALL,
                             "--address", ray_session.get_runtime_context().gcs_address],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while not (out.exists() and shard_files(out)) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate()
    # Ray ends the actors of a driver that died; one in the middle of a shard may finish it meanwhile (a shard is
    # written whole or not at all). Wait until no more appear.
    first = shard_files(out)
    for _ in range(20):
        time.sleep(1)
        if shard_files(out) == first:
            break
        first = shard_files(out)
    assert first, err.decode()[-2000:]
    assert len(first) < total, "the run ended before it could be killed"

    msg = extract_out(str(corpus), "--engine", "ray", "--workers", "2", "--out", str(out), "--shard-mb", SMALL)
    assert f"{total - len(first)} shard(s) written, {len(first)} already there" in msg
    after = shard_files(out)
    assert len(after) == total
    assert {k: after[k] for k in first} == first  # not rewritten
    assert not list(out.glob(".tmp-*"))
    records = list(read_shards(out))
    assert len(records) == len({r["id"] for r in records})  # every document once
    clean = tmp_path / "clean"
    extract_out(str(corpus), "--out", str(clean), "--shard-mb", SMALL)
    assert canon(records) == canon(read_shards(clean))


def test_a_worker_that_dies_is_restarted_and_its_block_retried(ray_session, tmp_path, monkeypatch):
    marker = tmp_path / "crashed"
    monkeypatch.setenv("SAMBANDH_SHARD_CRASH_ONCE", str(marker))
    out = tmp_path / "out"
    msg = extract_out(str(CORPUS), "--engine", "ray", "--workers", "2", "--out", str(out), "--shard-mb", SMALL)
    assert marker.exists()  # one actor died before writing its shard
    assert "5 shard(s) written" in msg and f"{GOOD} records" in msg
    assert canon(read_shards(out)) == canon(run_engine("local", good_objs(CORPUS)))


# -- without Ray ----------------------------------------------------------------------------------------------


def test_without_ray_the_engine_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['ray'] = None; sys.argv = ['sambandh'] + sys.argv[1:]; "
            "from sambandh.cli import main; main()")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-c", code, "extract", str(CORPUS), "--engine", "ray", "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'sambandh[ray]'" in lines[0], proc.stderr
    assert not (tmp_path / "o").exists()


def test_bench_compares_engines_side_by_side(tmp_path):
    out = tmp_path / "engines.json"
    res = CliRunner().invoke(cli, ["bench", str(CORPUS), "--engines", "local,process", "--workers", "2",
                                   "--limit", "3", "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "start-up s" in res.stdout and "net docs/s" in res.stdout
    runs = {r["engine"]: r for r in json.loads(out.read_text())["engines"]}
    assert runs["local"]["workers"] == 1 and runs["process"]["workers"] == 2
    assert all(r["docs"] == 3 and r["docs_per_s"] > 0 and r["startup_s"] > 0 for r in runs.values())


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_ingest_loads_a_shard_folder(tmp_path, fmt):
    out = tmp_path / "events"
    extract_out(str(CORPUS), "--engine", "process", "--workers", "2", "--out", str(out), "--shard-format", fmt,
                "--shard-mb", SMALL)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    res = CliRunner().invoke(cli, ["ingest", str(out), "--db", db, "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    summary = json.loads(next(line for line in res.stdout.splitlines() if line.startswith("{")))
    assert summary["stored"] == GOOD and summary["events"] == sum(len(r["events"]) for r in read_shards(out))
    again = CliRunner().invoke(cli, ["ingest", str(out), "--db", db, "--json", "--no-progress"])
    assert json.loads(next(line for line in again.stdout.splitlines() if line.startswith("{")))["stored"] == 0
