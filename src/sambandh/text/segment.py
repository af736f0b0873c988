"""Sentences and tokens.

A sentence ends at a danda (।, ॥), ? or !, a line break, or a full stop that
does not close an abbreviation or an initial (डॉ., एस., Mr., U.S.) and is not
inside a number. The abbreviation lists are data (lang/*/abbreviations.tsv).
"""

from __future__ import annotations

from ..model import Document, Sentence
from ..pipeline import Resources, stage
from .tokens import tokenize

_HARD = {"\u0964", "\u0965", "?", "!"}


def _is_initial(tok: str) -> bool:
    # a single Latin capital (S. / U.S.)
    return len(tok) == 1 and tok.isalpha()


def split_sentences(norm: str, abbreviations: set[str]) -> list[Sentence]:
    tokens = tokenize(norm)
    sentences: list[Sentence] = []
    current: list = []

    def close() -> None:
        if current:
            words = [t for t in current if t.text not in _HARD and t.text != "."]
            if words:
                sentences.append(Sentence(len(sentences), current[0].start, current[-1].end, list(current)))
        current.clear()

    for i, tok in enumerate(tokens):
        if current and "\n" in norm[current[-1].end:tok.start]:
            close()
        current.append(tok)
        if tok.text in _HARD:
            close()
        elif tok.text == ".":
            prev = tokens[i - 1].key if i > 0 and tokens[i - 1].end == tok.start else ""
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if prev and (prev in abbreviations or _is_initial(prev)):
                continue
            if nxt is not None and nxt.start == tok.end and nxt.text[:1].islower() and nxt.text.isascii():
                continue  # e.g. "e.g" glued; not a sentence end
            close()
    close()
    return sentences


@stage("segment", requires=("norm", "lang"), assigns=("sentences",))
def segment(doc: Document, res: Resources) -> Document:
    doc.sentences = split_sentences(doc.norm, res.lexicon(doc.lang).abbreviations)
    return doc
