"""Resolution of mentions to actors."""

from __future__ import annotations

from .model import Document
from .pipeline import Resources, stage


@stage("resolve", requires=("mentions",), assigns=("entities",))
def resolve(doc: Document, res: Resources) -> Document:
    return doc
