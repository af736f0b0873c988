"""Stage wrapper for normalization (kept apart so text/normalize.py has no pipeline import)."""

from __future__ import annotations

from ..model import Document
from ..pipeline import Resources, stage
from .normalize import normalize_spans


@stage("normalize", requires=("text",), assigns=("norm", "offsets", "ends"))
def normalize_doc(doc: Document, res: Resources) -> Document:
    doc.norm, doc.offsets, doc.ends = normalize_spans(doc.text)
    return doc
