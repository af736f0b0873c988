"""The pipeline: named stages run in order over a Document.

A stage is a plain function `(doc, res) -> doc` registered with what it
requires and assigns (spaCy's factory idea): the chain is checked when the
pipeline is built, so a missing stage fails at start-up with one message.
`res` holds the loaded knowledge and lexicons; stages keep no global state,
so the same pipeline runs in one process, in a pool or on Ray workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import EXTRACTOR_VERSION
from .errors import PipelineError, SambandhError
from .kb import KnowledgeBase, load_kb
from .model import Document
from .read import document_from_obj

StageFn = Callable[[Document, "Resources"], Document]


@dataclass(slots=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: dict[str, Stage] = {}


def stage(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    """Register a stage function under `name`."""

    def wrap(fn: StageFn) -> StageFn:
        STAGES[name] = Stage(name, fn, requires, assigns)
        return fn

    return wrap


DEFAULT_STAGES = ("normalize", "language", "segment", "recognize", "resolve", "code", "agreements", "finalize")


@dataclass
class Resources:
    """Loaded once per process: knowledge, and per-language lexicons on first use."""

    kb: KnowledgeBase
    langs: dict[str, Any] = field(default_factory=dict)
    gazetteers: dict[str, Any] = field(default_factory=dict)
    default_lang: str | None = None

    def lexicon(self, lang: str | None):
        if lang is None:
            raise PipelineError("the document's language is not known: the 'language' stage must run first")
        if lang not in self.langs:
            from .lexicon import load_lexicon

            self.langs[lang] = load_lexicon(lang)
        return self.langs[lang]

    def gazetteer(self, lang: str | None):
        if lang is None:
            raise PipelineError("the document's language is not known: the 'language' stage must run first")
        if lang not in self.gazetteers:
            from .recognize import build_gazetteer

            self.gazetteers[lang] = build_gazetteer(self.kb, self.lexicon(lang))
        return self.gazetteers[lang]


def _import_stages() -> None:
    from . import agreements, code, recognize, resolve  # noqa: F401  (registration)
    from .text import language, normalize_stage, segment  # noqa: F401


class Pipeline:
    def __init__(self, names: Iterable[str] = DEFAULT_STAGES, resources: Resources | None = None,
                 kb_paths: Iterable[Path] = ()) -> None:
        _import_stages()
        self.res = resources or Resources(load_kb(tuple(kb_paths)))
        self.stages: list[Stage] = []
        have: set[str] = {"text"}
        for name in names:
            if name not in STAGES:
                raise PipelineError(f"unknown stage {name!r}; known: {', '.join(sorted(STAGES))}")
            st = STAGES[name]
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise PipelineError(f"stage {name!r} needs {', '.join(missing)}, which no earlier stage sets")
            have.update(st.assigns)
            self.stages.append(st)

    def __call__(self, doc: Document) -> Document:
        for st in self.stages:
            try:
                doc = st.fn(doc, self.res)
            except SambandhError:
                raise
            except Exception as exc:  # a bug must cost one document, not the batch
                raise PipelineError(f"document {doc.id}: stage {st.name!r} failed: "
                                    f"{type(exc).__name__}: {exc}") from exc
            doc.done.append(st.name)
        return doc

    def run_obj(self, obj: dict[str, Any]) -> dict[str, Any]:
        """One input object ({"id","text",...}) to one output record; raises SambandhError on a bad one."""
        doc = document_from_obj(obj, f"document {obj.get('id', '?') if isinstance(obj, dict) else '?'}")
        return self.record(doc)

    def record(self, doc: Document) -> dict[str, Any]:
        rec = self(doc).to_record()
        rec["extractor"] = EXTRACTOR_VERSION
        return rec


_DEFAULT: Pipeline | None = None


def load_pipeline(kb_paths: Iterable[Path] = ()) -> Pipeline:
    """A pipeline with the shipped knowledge plus `kb_paths`; the default one is cached per process."""
    global _DEFAULT
    kb_paths = tuple(kb_paths)
    if kb_paths:
        return Pipeline(kb_paths=kb_paths)
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def extract_text(text: str, *, id: str = "text", published: str | None = None, lang: str | None = None,
                 title: str | None = None) -> dict[str, Any]:
    """Extract one article given as a string."""
    return load_pipeline().run_obj({"id": id, "text": text, "published": published, "lang": lang,
                                    "title": title})


def extract_records(objs: Iterable[dict[str, Any]],
                    on_error: Callable[[dict[str, Any], SambandhError], None] | None = None,
                    pipeline: Pipeline | None = None) -> Iterator[dict[str, Any]]:
    """Extract many input objects; a bad one raises, or is passed to `on_error` and skipped."""
    pipe = pipeline or load_pipeline()
    for obj in objs:
        try:
            yield pipe.run_obj(obj)
        except SambandhError as err:
            if on_error is None:
                raise
            on_error(obj, err)
