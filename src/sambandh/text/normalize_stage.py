"""Stage wrapper for normalization (kept apart so text/normalize.py has no pipeline import)."""

from __future__ import annotations

from ..model import Document
from ..pipeline import Resources, stage
from .normalize import normalize


@stage("normalize", requires=("text",), assigns=("norm", "offsets"))
def normalize_doc(doc: Document, res: Resources) -> Document:
    doc.norm, doc.offsets = normalize(doc.text)
    return doc
