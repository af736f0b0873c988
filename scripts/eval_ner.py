"""Entity recognition of sambandh's gazetteer against a CoNLL-style Hindi NER corpus.

    .venv/bin/python scripts/eval_ner.py [../shared/corpus/il-ner-hindi-dev.tsv] [--json out.json]

Input: token<TAB>tag lines, a blank line between sentences, BIO tags with
NEP (person), NEL (location), NEO (organisation); other tags (numbers, times,
artefacts, ...) are not scored. Each sentence is joined with spaces and run
through sambandh's normalize, segment and recognize stages (Hindi forced);
recognised mentions are mapped to the gold tokens they cover.

Mapping: PERSON -> NEP; COUNTRY, CAPITAL, CITY -> NEL; ORG -> NEO. DEMONYM
("भारतीय", "रूसी") is an adjective, not a location name, and is left out of
NEL by default (`--demonyms-as-locations` counts it, to show the effect);
TITLE, SECTOR and REF are no named entities and are not scored.

`--scan-names` adds the people sambandh.kb.lookup.scan_names finds in the
words the gazetteer left (known names with one part misspelled), to measure
what extraction would gain by calling it.

Scores: exact (same first and last token, same type) and partial (the
spans share a token, same type), precision / recall / F1 per type and
micro-averaged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "il-ner-hindi-dev.tsv"
TYPES = ("NEP", "NEL", "NEO")
KIND_TO_TYPE = {"PERSON": "NEP", "COUNTRY": "NEL", "CAPITAL": "NEL", "CITY": "NEL", "ORG": "NEO"}


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        parts = line.split("\t")
        toks.append(parts[0])
        tags.append(parts[1].strip() if len(parts) > 1 else "O")
    if toks:
        sents.append((toks, tags))
    return sents


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(first, last exclusive, type) of NEP/NEL/NEO; a stray "-X" or "I-X" without a B starts a span."""
    out = set()
    cur: list | None = None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, typ = tag.partition("-")
        if cur and (prefix != "I" or typ != cur[2]):
            out.add((cur[0], i, cur[2]))
            cur = None
        if typ in TYPES and (prefix in ("B", "") or (prefix == "I" and cur is None)):
            cur = [i, i + 1, typ]
    return {s for s in out if s[2] in TYPES}


def _scan(doc, kb) -> list:
    """PERSON mentions sambandh.kb.lookup.scan_names adds to the gazetteer's (what --scan-names measures)."""
    from sambandh.kb.lookup import scan_names
    from sambandh.model import Mention

    extra = []
    for sent in doc.sentences:
        taken = {i for m in doc.mentions if m.sentence == sent.index for i in range(m.first, m.last)}
        for h in scan_names(kb, [t.text for t in sent.tokens], skip=taken):
            extra.append(Mention(sent.index, h.first, h.last, "PERSON", h.holders))
    return extra


def predicted_spans(doc, starts: list[int], ends: list[int], demonyms: bool,
                    extra: list | None = None) -> set[tuple[int, int, str]]:
    out = set()
    kinds = dict(KIND_TO_TYPE, **({"DEMONYM": "NEL"} if demonyms else {}))
    for m in [*doc.mentions, *(extra or [])]:
        typ = kinds.get(m.kind)
        if typ is None:
            continue
        sent = doc.sentences[m.sentence]
        a, b = doc.orig_span(sent.tokens[m.first].start, sent.tokens[m.last - 1].end)
        first = next((i for i, e in enumerate(ends) if e > a), None)
        last = next((i for i in range(len(starts) - 1, -1, -1) if starts[i] < b), None)
        if first is not None and last is not None and last >= first:
            out.add((first, last + 1, typ))
    return out


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(path: Path, demonyms: bool = False, scan: bool = False) -> dict:
    from sambandh.model import Document
    from sambandh.pipeline import Pipeline

    pipe = Pipeline(("normalize", "language", "segment", "recognize"))
    sents = read_conll(path)
    exact: Counter = Counter()
    partial: Counter = Counter()
    examples: dict[str, list] = {"fp": [], "fn": []}
    t0 = time.perf_counter()
    for n, (toks, tags) in enumerate(sents):
        starts, ends, pos = [], [], 0
        for t in toks:
            starts.append(pos)
            ends.append(pos + len(t))
            pos += len(t) + 1
        text = " ".join(toks)
        doc = pipe(Document(id=f"s{n}", text=text, lang="hi"))
        gold = gold_spans(tags)
        pred = predicted_spans(doc, starts, ends, demonyms, _scan(doc, pipe.res.kb) if scan else None)
        for typ in TYPES:
            g = {s for s in gold if s[2] == typ}
            p = {s for s in pred if s[2] == typ}
            exact[typ, "tp"] += len(g & p)
            exact[typ, "fp"] += len(p - g)
            exact[typ, "fn"] += len(g - p)
            hit_p = {s for s in p if any(x[0] < s[1] and s[0] < x[1] for x in g)}
            hit_g = {s for s in g if any(x[0] < s[1] and s[0] < x[1] for x in p)}
            partial[typ, "tp"] += len(hit_g)
            partial[typ, "fp"] += len(p - hit_p)
            partial[typ, "fn"] += len(g - hit_g)
            for s in sorted(p - g):
                if len(examples["fp"]) < 40:
                    examples["fp"].append((typ, " ".join(toks[s[0]:s[1]])))
            for s in sorted(g - p):
                if len(examples["fn"]) < 40:
                    examples["fn"].append((typ, " ".join(toks[s[0]:s[1]])))
    seconds = time.perf_counter() - t0

    def table(c: Counter) -> dict:
        out = {typ: prf(c[typ, "tp"], c[typ, "fp"], c[typ, "fn"]) for typ in TYPES}
        out["micro"] = prf(*(sum(c[typ, k] for typ in TYPES) for k in ("tp", "fp", "fn")))
        return out

    return {"corpus": str(path), "sentences": len(sents), "seconds": round(seconds, 2),
            "demonyms_as_locations": demonyms, "scan_names": scan, "exact": table(exact), "partial": table(partial),
            "examples": examples}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--demonyms-as-locations", action="store_true")
    ap.add_argument("--scan-names", action="store_true",
                    help="also count the misspelled names sambandh.kb.lookup.scan_names finds")
    ap.add_argument("--json", help="write the full result here")
    args = ap.parse_args(argv)
    path = Path(args.corpus)
    if not path.exists():
        print(f"eval_ner: {path}: no such corpus", file=sys.stderr)
        return 2
    res = evaluate(path, args.demonyms_as_locations, args.scan_names)
    print(f"{res['sentences']} sentences, {res['seconds']} s; DEMONYM counted as NEL: {res['demonyms_as_locations']}; "
          f"scan_names: {res['scan_names']}")
    print(f"{'':8}{'exact P':>9}{'R':>7}{'F1':>7}  {'partial P':>10}{'R':>7}{'F1':>7}   gold  predicted")
    for typ in (*TYPES, "micro"):
        e, p = res["exact"][typ], res["partial"][typ]
        print(f"{typ:8}{e['precision']:>9.3f}{e['recall']:>7.3f}{e['f1']:>7.3f}  {p['precision']:>10.3f}"
              f"{p['recall']:>7.3f}{p['f1']:>7.3f}  {e['tp'] + e['fn']:>5}  {e['tp'] + e['fp']:>9}")
    if args.json:
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
