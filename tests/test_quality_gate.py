"""The quality gate: extraction scored on the settled dev gold must not drop below gold/floors.json.

Runs `sambandh eval gold/<lang>/gold.jsonl --texts <the shared corpus>`; skipped where ../shared or a settled
gold file is missing (the annotation passes pass-a/pass-b are not the gold).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import ROOT, SHARED
from sambandh.cli import cli

FLOORS = ROOT / "gold" / "floors.json"


def text_files() -> list[str]:
    files = sorted(str(p) for p in (SHARED / "corpus").glob("*.jsonl"))
    files += sorted(str(p) for p in (SHARED / "examples").glob("*.txt"))
    return files


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_quality_at_or_above_floors(lang):
    gold = ROOT / "gold" / lang / "gold.jsonl"
    if not SHARED.exists():
        pytest.skip(f"{SHARED} not present")
    if not gold.exists():
        pytest.skip(f"{gold} not settled yet")
    floors = json.loads(FLOORS.read_text(encoding="utf-8")).get(lang)
    if not floors:
        pytest.skip(f"no floors for {lang} in {FLOORS}")
    args = ["eval", str(gold), "--format", "json"]
    for path in text_files():
        args += ["--texts", path]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    scores = json.loads(res.stdout)
    low = [f"{score} {metric} {scores[score][metric]:.3f} < floor {floor}"
           for score, metrics in floors.items() for metric, floor in metrics.items()
           if scores[score][metric] < floor]
    assert not low, f"{lang}: quality below the pinned floors: " + "; ".join(low)
