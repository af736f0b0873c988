"""scripts/eval_ner.py on a tiny CoNLL fixture, and `sambandh kb bench` on a small corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from click.testing import CliRunner

from sambandh.cli import cli

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent / "fixtures"


def load_script():
    spec = importlib.util.spec_from_file_location("eval_ner", ROOT / "scripts" / "eval_ner.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_gold_spans_read_bio_and_stray_tags():
    mod = load_script()
    assert mod.gold_spans(["B-NEP", "I-NEP", "O", "B-NEL", "-NEO", "I-NEO", "B-NETI"]) == {
        (0, 2, "NEP"), (3, 4, "NEL"), (4, 6, "NEO")}


def test_eval_ner_on_a_fixture(tmp_path):
    mod = load_script()
    res = mod.evaluate(HERE / "ner-mini.tsv")
    # भारत, नरेंद्र मोदी, संयुक्त राष्ट्र, मास्को found; गोविन्द कुमार झा (not an office-holder) missed;
    # भारतीय is a demonym, not scored as a location
    assert res["exact"]["NEL"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert res["exact"]["NEP"]["tp"] == 1 and res["exact"]["NEP"]["fn"] == 1
    assert res["exact"]["NEO"]["tp"] == 1
    assert res["exact"]["micro"]["precision"] == 1.0
    out = tmp_path / "r.json"
    assert mod.main([str(HERE / "ner-mini.tsv"), "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["sentences"] == 2


def test_kb_bench_small(tmp_path):
    out = tmp_path / "b.json"
    res = CliRunner().invoke(cli, ["kb", "bench", str(ROOT / "tests" / "fixtures" / "bench-corpus.jsonl"),
                                   "--runs", "1", "--limit", "5", "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["load"]["load_and_gazetteer_s"] > 0 and data["matching"]["documents"] == 5
    assert "MB/s per core" in res.output
