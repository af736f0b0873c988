"""`sambandh bench` and the engines it runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from sambandh import bench as bench_mod
from sambandh.cli import cli
from sambandh.engines import ENGINES, run_engine

CORPUS = FIXTURES / "bench-corpus.jsonl"


def objs():
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("engine,workers", [("local", 1), ("process", 2)])
def test_engines_yield_records_in_input_order(engine, workers):
    docs = objs()
    out = list(run_engine(engine, docs, workers, batch=2, window=1))
    assert [r["id"] for r in out] == [d["id"] for d in docs]
    assert all("events" in r for r in out)


def test_unknown_engine_is_refused():
    with pytest.raises(Exception, match="unknown engine 'nope'"):
        list(run_engine("nope", objs()))
    assert {"local", "process"} <= set(ENGINES)


def test_bench_cli_small_run_with_two_workers(tmp_path):
    out = tmp_path / "bench.json"
    res = CliRunner().invoke(cli, ["bench", str(CORPUS), "--limit", "5", "--workers", "2", "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "one core" in res.stdout and "pool (process)" in res.stdout and "start-up" in res.stdout
    data = json.loads(out.read_text())
    assert data["corpus_size"]["docs"] == 5
    assert data["corpus_size"]["sentences"] >= 10
    assert data["one_core"]["docs_per_s"] > 0 and data["pool"]["workers"] == 2
    assert data["pool"]["sentences_per_s"] > 0 and data["one_core"]["mb_per_s"] > 0
    assert data["one_core"]["cpu_s"] > 0 and data["pool"]["sentences_per_cpu_s"] > 0
    assert data["memory"]["peak_rss_mb"] > 0 and data["memory"]["peak_child_rss_mb"] > 0
    assert data["startup"]["load_s"] >= 0 and data["startup"]["first_doc_s"] > 0
    assert data["machine"]["cores"] >= 1


def test_bench_one_worker_measures_one_core_only(tmp_path):
    res = CliRunner().invoke(cli, ["bench", str(CORPUS), "--workers", "1", "--no-startup"])
    assert res.exit_code == 0, res.output
    assert "pool" not in res.stdout and "one core" in res.stdout


def test_bench_without_a_corpus_says_to_pass_one(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_mod, "ROOT", tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="pass one"):
        bench_mod.default_corpus()


def test_bench_cli_errors_are_one_line_exit_2(tmp_path):
    for args in (["bench", str(tmp_path / "missing.jsonl")], ["bench", str(CORPUS), "--workers", "0"],
                 ["bench", str(CORPUS), "--engine", "nope"]):
        proc = subprocess.run([sys.executable, "-m", "sambandh.cli", *args], capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.strip().count("\n") == 0, proc.stderr


def test_engines_register_lazily_by_module_path(monkeypatch):
    monkeypatch.setitem(ENGINES, "again", "sambandh.engines:run_local")
    docs = objs()[:2]
    assert [r["id"] for r in run_engine("again", docs)] == [d["id"] for d in docs]
