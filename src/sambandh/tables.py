"""Reading the plain TSV data files that hold language and knowledge.

Format: UTF-8, a header row, tab-separated columns, `#` comment lines and
blank lines ignored. A cell may hold several values separated by `|`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataError


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV file as dicts; a row with the wrong number of cells is an error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"{path}: data file missing; reinstall sambandh or fix the path") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: data file is not UTF-8") from None
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.rstrip("\n").split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise DataError(f"{path}:{lineno}: {len(cells)} cells, header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


def split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]
