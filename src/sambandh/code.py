"""Event coding."""

from __future__ import annotations

from .model import Document
from .pipeline import Resources, stage


@stage("code", requires=("entities",), assigns=("events",))
def code_events(doc: Document, res: Resources) -> Document:
    return doc
