"""Agreements and commitments."""

from __future__ import annotations

from .model import Document
from .pipeline import Resources, stage


@stage("agreements", requires=("events",), assigns=("agreements", "commitments"))
def find_agreements(doc: Document, res: Resources) -> Document:
    return doc


@stage("finalize", requires=("events",), assigns=("record",))
def finalize(doc: Document, res: Resources) -> Document:
    return doc
