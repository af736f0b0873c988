from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = SHARED / "examples" / "india-russia-moscow-talks.hi.txt"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"{path} not present")


@pytest.fixture(scope="session")
def pipeline():
    from sambandh.pipeline import load_pipeline

    return load_pipeline()
