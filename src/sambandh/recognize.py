"""Recognition: gazetteer matching of countries, places, organisations, people and titles."""

from __future__ import annotations

from .kb import KnowledgeBase
from .model import Document
from .pipeline import Resources, stage


def build_gazetteer(kb: KnowledgeBase, lex):
    return None


@stage("recognize", requires=("sentences",), assigns=("mentions",))
def recognize(doc: Document, res: Resources) -> Document:
    return doc
