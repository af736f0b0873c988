"""Scoring extracted events against gold, exactly as ../shared/ANNOTATION.md says.

Pure functions: no extraction and no printing here (commands/evaluate.py does
the edges). Both sides may be gold-shaped (actor/recipient are code strings)
or record-shaped (actor/recipient are dicts with "code"), so two annotation
passes score against each other the same way a system does.

The rules, per article:

* An event is the triple (actor, recipient, event). Repeats collapse: each
  side is a set.
* Triples are compared within a group of the same unordered pair and event
  type. A reciprocal event on either side ignores order: a gold reciprocal
  event is one unit, matched by any predicted event of its pair and type in
  either direction; a predicted reciprocal event matches the gold directions
  of its pair and type. The undirected score compares ({actor, recipient},
  event) only.
* Gold events whose modality is hypothetical, negated or historical are
  optional: in the main score they are never a miss, and a predicted event
  that matches one is neither a true nor a false positive. Predicted events
  with those modalities are left out of the main score too. The optional
  events are scored on their own (optional gold against optional predictions).
* A predicted event with an unresolved side (no code) is not an event between
  two countries; it is left out and counted as `unresolved`.
* Precision, recall and F1 are micro-averaged over all articles.
* Modality accuracy: over events matched undirected with modality ignored,
  the share whose gold modality is among the predicted modalities.
* Country mentions: gold `countries` against the record's `countries`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "future", "hypothetical", "negated", "historical")
OPTIONAL = frozenset({"hypothetical", "negated", "historical"})


@dataclass(slots=True)
class Item:
    """One event of either side, reduced to what scoring needs (plus what error reports show)."""

    actor: str
    recipient: str
    event: str
    reciprocal: bool = False
    modality: str = "asserted"
    evidence: str = ""
    rule: str | None = None
    sentence: Any = None
    confidence: float | None = None

    @property
    def pair(self) -> tuple[str, str]:
        a, b = sorted((self.actor, self.recipient))
        return a, b

    @property
    def optional(self) -> bool:
        return self.modality in OPTIONAL

    def label(self) -> str:
        arrow = "<->" if self.reciprocal else "->"
        return f"{self.actor}{arrow}{self.recipient} {self.event}"


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


SCORES = ("directed", "undirected", "optional_directed", "optional_undirected")


@dataclass
class Score:
    """Counts for one article, or summed over many (micro-averaging is summing counts)."""

    articles: int = 0
    scores: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in SCORES})
    by_type: dict[str, dict[str, Counts]] = field(default_factory=dict)  # event -> directed/undirected
    modality: Counter = field(default_factory=Counter)  # (gold, predicted or "?") -> n
    countries: Counts = field(default_factory=Counts)
    unresolved: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def type_counts(self, event: str) -> dict[str, Counts]:
        if event not in self.by_type:
            self.by_type[event] = {"directed": Counts(), "undirected": Counts()}
        return self.by_type[event]

    def add(self, other: Score) -> None:
        self.articles += other.articles
        for k in SCORES:
            self.scores[k].add(other.scores[k])
        for ev, counts in other.by_type.items():
            mine = self.type_counts(ev)
            for k, c in counts.items():
                mine[k].add(c)
        self.modality.update(other.modality)
        self.countries.add(other.countries)
        self.unresolved += other.unresolved
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    @property
    def modality_accuracy(self) -> float:
        total = sum(self.modality.values())
        right = sum(n for (g, p), n in self.modality.items() if p == g)
        return right / total if total else 0.0

    def as_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"articles": self.articles}
        for k in SCORES:
            out[k] = self.scores[k].as_dict()
        out["by_type"] = {ev: {k: c.as_dict() for k, c in self.by_type[ev].items()}
                          for ev in sorted(self.by_type, key=_type_order)}
        total = sum(self.modality.values())
        out["modality"] = {"matched": total, "accuracy": round(self.modality_accuracy, 4),
                           "confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.modality.items())}}
        out["countries"] = self.countries.as_dict()
        out["unresolved_predictions"] = self.unresolved
        out["warnings"] = list(self.warnings)
        if errors:
            out["errors"] = list(self.errors)
        return out


def _type_order(ev: str) -> tuple[int, str]:
    return (EVENT_TYPES.index(ev) if ev in EVENT_TYPES else len(EVENT_TYPES), ev)


# -- reading either shape ---------------------------------------------------------------------------------------

def _code(side: Any) -> str | None:
    if isinstance(side, Mapping):
        side = side.get("code")
    if side is None:
        return None
    side = str(side).strip()
    return side.upper() or None


def items_of(article: Mapping[str, Any]) -> tuple[list[Item], int]:
    """The events of a gold line or an output record, and how many had an unresolved side."""
    items: list[Item] = []
    unresolved = 0
    for ev in article.get("events") or []:
        actor, recipient = _code(ev.get("actor")), _code(ev.get("recipient"))
        event = str(ev.get("event") or "").strip().upper()
        if not actor or not recipient or not event:
            unresolved += 1
            continue
        conf = ev.get("confidence")
        items.append(Item(actor, recipient, event, bool(ev.get("reciprocal")),
                          str(ev.get("modality") or "asserted").strip().lower(),
                          str(ev.get("evidence") or ""), ev.get("rule"), ev.get("sentence"),
                          float(conf) if isinstance(conf, (int, float)) else None))
    return items, unresolved


def countries_of(article: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for c in article.get("countries") or []:
        code = _code(c)
        if code:
            out.add(code)
    return out


# -- matching ---------------------------------------------------------------------------------------------------

def _dedupe(items: Iterable[Item]) -> list[Item]:
    """Set semantics: one item per (actor, recipient, event, reciprocal); the first one keeps its evidence,
    except that a main-score modality wins over an optional one (reported as happening once is enough)."""
    seen: dict[tuple[str, str, str, bool], Item] = {}
    for it in items:
        key = (it.actor, it.recipient, it.event, it.reciprocal)
        if it.reciprocal:
            key = (*it.pair, it.event, True)
        old = seen.get(key)
        if old is None or (old.optional and not it.optional):
            seen[key] = it
    return list(seen.values())


def _group(items: Iterable[Item]) -> dict[tuple[str, str, str], list[Item]]:
    groups: dict[tuple[str, str, str], list[Item]] = {}
    for it in items:
        groups.setdefault((*it.pair, it.event), []).append(it)
    return groups


@dataclass(slots=True)
class _Unit:
    """A scoring unit within one (pair, event) group: a direction (a, r), or None for 'either order'."""

    direction: tuple[str, str] | None
    items: list[Item]


def _units(items: list[Item], *, against: list[_Unit] | None = None) -> list[_Unit]:
    """Collapse one side's items of one group into units.

    Gold side (against=None): a reciprocal item makes the whole group one
    order-free unit; otherwise each direction is a unit. Predicted side
    (against=gold units): a reciprocal prediction stands for every gold
    direction of the group (or for one unit when gold has none); directed
    predictions are their own direction, merged into an order-free gold unit.
    """
    if against is None:
        if any(it.reciprocal for it in items):
            return [_Unit(None, list(items))]
        by_dir: dict[tuple[str, str], list[Item]] = {}
        for it in items:
            by_dir.setdefault((it.actor, it.recipient), []).append(it)
        return [_Unit(d, its) for d, its in by_dir.items()]
    if not items:
        return []
    if any(u.direction is None for u in against):
        return [_Unit(None, list(items))]
    recip = [it for it in items if it.reciprocal]
    by_dir = {}
    for it in items:
        if not it.reciprocal:
            by_dir.setdefault((it.actor, it.recipient), []).append(it)
    if recip:
        for u in against:
            assert u.direction is not None
            by_dir.setdefault(u.direction, []).extend(recip)
        if not by_dir:
            return [_Unit(None, recip)]
    return [_Unit(d, its) for d, its in by_dir.items()]


@dataclass(slots=True)
class _GroupResult:
    tp: list[tuple[_Unit, _Unit]]
    fp: list[_Unit]
    fn: list[_Unit]


def _match_group(gold: list[Item], pred: list[Item]) -> _GroupResult:
    g_units = _units(gold)
    p_units = _units(pred, against=g_units)
    g_by_dir = {u.direction: u for u in g_units}
    tp: list[tuple[_Unit, _Unit]] = []
    fp: list[_Unit] = []
    matched: set[tuple[str, str] | None] = set()
    for pu in p_units:
        gu = g_by_dir.get(pu.direction)
        if gu is not None and pu.direction not in matched:
            tp.append((gu, pu))
            matched.add(pu.direction)
        else:
            fp.append(pu)
    fn = [gu for gu in g_units if gu.direction not in matched]
    return _GroupResult(tp, fp, fn)


def _error(kind: str, doc_id: str, item: Item, score: str, **extra: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"kind": kind, "score": score, "id": doc_id, "actor": item.actor,
                           "recipient": item.recipient, "event": item.event, "reciprocal": item.reciprocal,
                           "modality": item.modality, "evidence": item.evidence}
    if kind in ("fp", "direction"):
        err["rule"] = item.rule
        if item.sentence is not None:
            err["sentence"] = item.sentence
        if item.confidence is not None:
            err["confidence"] = item.confidence
    err.update(extra)
    return err


def _score_pair(doc_id: str, gold: list[Item], pred: list[Item], optional_gold: list[Item], score: Score,
                prefix: str, collect: bool) -> None:
    """Score one side of the split (main or optional) into score.scores[prefix + directed/undirected]."""
    directed = score.scores[prefix + "directed"]
    undirected = score.scores[prefix + "undirected"]
    g_groups, p_groups, o_groups = _group(gold), _group(pred), _group(optional_gold)
    for key in sorted(set(g_groups) | set(p_groups)):
        event = key[2]
        g_items, p_items = g_groups.get(key, []), p_groups.get(key, [])
        per_type = score.type_counts(event) if not prefix else None
        res = _match_group(g_items, p_items)
        fp_units = res.fp
        if key in o_groups:
            # a prediction that only matches an optional gold event is neither right nor wrong: the false
            # positives are the predictions that match no gold event at all
            fp_units = _match_group(g_items + o_groups[key], p_items).fp
        d = Counts(len(res.tp), len(fp_units), len(res.fn))
        directed.add(d)
        # undirected: the group is one unit on each side
        u = Counts()
        if g_items and p_items:
            u.tp = 1
        elif g_items:
            u.fn = 1
        elif p_items and key not in o_groups:
            u.fp = 1
        undirected.add(u)
        if per_type is not None:
            per_type["directed"].add(d)
            per_type["undirected"].add(u)
        if not collect:
            continue
        name = prefix + "directed"
        if u.tp:
            # right pair and type, wrong direction: both a false positive and a miss when directed
            for pu in fp_units:
                score.errors.append(_error("direction", doc_id, pu.items[0], name,
                                           gold=[g.label() for g in g_items]))
            for gu in res.fn:
                score.errors.append(_error("direction-miss", doc_id, gu.items[0], name))
        else:
            for pu in fp_units:
                score.errors.append(_error("fp", doc_id, pu.items[0], name))
            for gu in res.fn:
                score.errors.append(_error("miss", doc_id, gu.items[0], name))


def score_article(gold: Mapping[str, Any], pred: Mapping[str, Any] | None, *, collect_errors: bool = True,
                  score_countries: bool = True) -> Score:
    """Score one article; `pred` None is an article with nothing extracted."""
    doc_id = str(gold.get("id"))
    score = Score(articles=1)
    g_all, g_bad = items_of(gold)
    if g_bad:
        score.warnings.append(f"{doc_id}: {g_bad} gold event(s) without actor, recipient or event ignored")
    p_all, score.unresolved = items_of(pred or {})
    g_all, p_all = _dedupe(g_all), _dedupe(p_all)
    g_main = [g for g in g_all if not g.optional]
    g_opt = [g for g in g_all if g.optional]
    p_main = [p for p in p_all if not p.optional]
    p_opt = [p for p in p_all if p.optional]
    _score_pair(doc_id, g_main, p_main, g_opt, score, "", collect_errors)
    _score_pair(doc_id, g_opt, p_opt, [], score, "optional_", collect_errors)
    # modality accuracy: undirected matches with modality ignored
    g_groups, p_groups = _group(g_all), _group(p_all)
    for key, g_items in g_groups.items():
        p_items = p_groups.get(key)
        if not p_items:
            continue
        p_mods = Counter(p.modality for p in p_items)
        for gm in sorted({g.modality for g in g_items}):
            score.modality[(gm, gm if gm in p_mods else p_mods.most_common(1)[0][0])] += 1
    if score_countries and "countries" in gold:
        gc, pc = countries_of(gold), countries_of(pred or {})
        score.countries = Counts(len(gc & pc), len(pc - gc), len(gc - pc))
    return score


def score_corpus(golds: Iterable[Mapping[str, Any]], preds: Mapping[str, Mapping[str, Any]], *,
                 collect_errors: bool = True) -> Score:
    """Micro-averaged score of every gold article; a gold article with no prediction counts as empty."""
    total = Score()
    for gold in golds:
        total.add(score_article(gold, preds.get(str(gold.get("id"))), collect_errors=collect_errors))
    return total


# -- files ------------------------------------------------------------------------------------------------------

def read_jsonl(path: str | Path, what: str = "file") -> list[dict[str, Any]]:
    """Objects of a JSON Lines file; one clear line for a missing file or a bad line."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such {what}")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, expected a JSON Lines {what}")
    out: list[dict[str, Any]] = []
    try:
        content = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if content.lstrip()[:1] == "[" or content.lstrip()[:1] == "{" and "\n{" not in content.strip():
        # one JSON document (`sambandh extract --format json`): a record or a list of records
        try:
            whole = json.loads(content)
        except json.JSONDecodeError:
            whole = None
        if whole is not None:
            out = whole if isinstance(whole, list) else [whole]
            if not all(isinstance(o, dict) and "id" in o for o in out):
                raise InputError(f"{path}: expected JSON objects with an 'id'")
            return out
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {lineno}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict) or "id" not in obj:
            raise InputError(f"{path}: line {lineno}: expected a JSON object with an 'id'")
        out.append(obj)
    if not out:
        raise InputError(f"{path}: empty {what}")
    return out


def sha1_text(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def check_gold(golds: Iterable[Mapping[str, Any]], texts: Mapping[str, str] | None = None) -> list[str]:
    """Warnings about gold lines: duplicate ids, unknown types or modalities, same-country events, and, given
    the texts, sha1 mismatches and evidence that is not a substring of the text."""
    warnings: list[str] = []
    seen: set[str] = set()
    for gold in golds:
        doc_id = str(gold.get("id"))
        if doc_id in seen:
            warnings.append(f"{doc_id}: appears twice in the gold; the later line is ignored")
        seen.add(doc_id)
        triples: set[tuple[Any, ...]] = set()
        for ev in gold.get("events") or []:
            label = f"{doc_id}: {_code(ev.get('actor'))}->{_code(ev.get('recipient'))} {ev.get('event')}"
            if str(ev.get("event", "")).upper() not in EVENT_TYPES:
                warnings.append(f"{label}: unknown event type")
            if str(ev.get("modality") or "asserted").lower() not in MODALITIES:
                warnings.append(f"{label}: unknown modality {ev.get('modality')!r}")
            if _code(ev.get("actor")) == _code(ev.get("recipient")):
                warnings.append(f"{label}: actor and recipient are the same")
            triple = (_code(ev.get("actor")), _code(ev.get("recipient")), str(ev.get("event", "")).upper())
            if triple in triples:
                warnings.append(f"{label}: written twice (one line per actor, recipient and event)")
            triples.add(triple)
        if texts is None or doc_id not in texts:
            continue
        text = texts[doc_id]
        if gold.get("sha1") and gold["sha1"] != sha1_text(text):
            warnings.append(f"{doc_id}: gold sha1 {str(gold['sha1'])[:12]} does not match the text "
                            f"({sha1_text(text)[:12]}); the text changed or the gold was made from another text")
        for ev in gold.get("events") or []:
            evidence = ev.get("evidence")
            if evidence and evidence not in text:
                warnings.append(f"{doc_id}: evidence is not a substring of the text: {str(evidence)[:60]!r}")
    return warnings


def unique_golds(golds: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for g in golds:
        out.setdefault(str(g.get("id")), g)
    return list(out.values())
