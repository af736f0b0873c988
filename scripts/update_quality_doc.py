"""Rewrite the "Extraction quality" section of docs/quality.md from a fresh evaluation.

    python scripts/update_quality_doc.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "quality.md"
START, END = "## Extraction quality", "## The gate"


def main() -> None:
    tables = subprocess.run([sys.executable, str(ROOT / "scripts" / "quality_report.py")], capture_output=True,
                            text=True, check=True).stdout
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    notes = (ROOT / "docs" / "quality-notes.md").read_text(encoding="utf-8")
    DOC.write_text(f"{head}{START}\n\nCommand: `python scripts/update_quality_doc.py` (it runs the two evaluations "
                   f"above). {tables}\n{notes}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
