"""Agreements and commitments.

An agreement word (समझौता, treaty, MoU, ...) with a status cue in its
sentence (मसौदा = drafting, हस्ताक्षर = signed, ...) becomes an agreement
record; its parties are the countries acting in the sentence, completed from
the article's main pair for a "bilateral" agreement that names no one; its
sectors are the topic words of the sentence and of a following sentence that
refers back ("यह समझौता ...", "the agreement ..."). Later mentions with a
new status extend the record's status history.

An AGREE event whose clause carries an action (बढ़ाने, "to increase", ...)
is also a commitment: who, what action, on what, and by when.
"""

from __future__ import annotations

from typing import Any

from .lexicon import Lexicon
from .model import Document, Phrase, Sentence
from .pipeline import Resources, stage
from .resolve import main_pair

STATUS_ORDER = ("proposed", "negotiating", "drafting", "finalized", "signed", "in_force", "implemented",
                "stalled", "withdrawn")


def _text(doc: Document, sent: Sentence, first: int, last: int) -> str:
    s, e = doc.orig_span(sent.tokens[first].start, sent.tokens[last - 1].end)
    return doc.text[s:e]


def _title(doc: Document, sent: Sentence, s: int, e: int, lex: Lexicon) -> str:
    """The agreement noun with the modifiers before it ("एक नए द्विपक्षीय समझौते", "a new trade deal")."""
    keys = [t.key for t in sent.tokens]
    stop = _title_stops(lex)
    first = s
    while first > 0 and s - first < 4:
        k = keys[first - 1]
        event_word = lex.predicates.longest(keys, first - 1)
        if not k[0].isalpha() or k in stop or lex.clause.longest(keys, first - 1) \
                or (event_word and event_word[1]["event"] != "-") or lex.agreements.longest(keys, first - 1):
            break  # ("free trade" only looks like an event word: it belongs to the title)
        first -= 1
    return _text(doc, sent, first, e)


def _title_stops(lex: Lexicon) -> frozenset[str]:
    """Words an agreement's title does not reach back over: markers (every word of "के बीच") and
    function words."""
    words = {w for ps in lex.markers._by_first.values() for p, _ in ps for w in p}
    return frozenset(words | set(lex.config.get("function_words", [])))


def _countries(phrases: list[Phrase]) -> list[str]:
    out: dict[str, None] = {}
    for p in phrases:
        if p.place is not None and p.role == "in":
            continue
        for a in p.actors:
            if a.code:
                out.setdefault(a.code, None)
    return list(out)


def _extend(record: dict[str, Any], status: str | None, step: dict[str, Any], sectors: list[str]) -> None:
    """A later mention of a known agreement: a new status is a new step of its history."""
    if status and record["history"][-1]["status"] != status:
        record["history"].append(step)
        record["status"] = status
    for t in sectors:
        if t not in record["sectors"]:
            record["sectors"].append(t)


def find_agreements(doc: Document, lex: Lexicon) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    pair = main_pair(doc)
    last: dict[str, Any] | None = None
    for sent, phrases in zip(doc.sentences, doc.phrases):
        keys = [t.key for t in sent.tokens]
        hits = lex.agreements.find_all(keys)
        nouns = [(s, e) for s, e, r in hits if r["kind"] == "noun"]
        anaphor = [(s, e) for s, e, r in hits if r["kind"] == "anaphor"]
        if last is None:  # "the treaty" with nothing before it is a first mention
            nouns += [(e - 1, e) for s, e in anaphor]
            anaphor = []
        cues = [(int(r.get("priority") or 0), r["status"]) for _, _, r in hits if r["kind"] == "status"]
        status = max(cues)[1] if cues else None
        sectors = list(dict.fromkeys(r["topic"] for _, _, r in lex.topics.find_all(keys)))
        span = list(doc.orig_span(sent.start, sent.end))
        step = {"status": status, "sentence": sent.index, "span": span, "evidence": doc.text[span[0]:span[1]]}
        if anaphor and last is not None and not nouns:
            _extend(last, status, step, sectors)  # "यह समझौता ...", "the agreement was signed"
            continue
        if not nouns or not status:
            continue
        parties = _countries(phrases)
        inferred = False
        if len(parties) < 2 and len(pair) == 2 and (not parties or parties[0] in pair):
            parties = list(dict.fromkeys(parties + pair))
            inferred = True
        same = next((r for r in records if set(r["parties"]) == set(parties)), None)
        if same is not None:
            _extend(same, status, step, sectors)
            last = same
            continue
        s, e = nouns[0]
        last = {"title": _title(doc, sent, s, e, lex), "parties": parties, "parties_inferred": inferred,
                "sectors": sectors, "status": status, "sentence": sent.index, "span": span,
                "evidence": step["evidence"], "date": doc.date, "history": [step]}
        records.append(last)
    return records


def find_commitments(doc: Document, lex: Lexicon) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ev in doc.events:
        if ev["event"] != "AGREE":
            continue
        sent = doc.sentences[ev["sentence"]]
        keys = [t.key for t in sent.tokens]
        tfirst = next(i for i, t in enumerate(sent.tokens) if doc.orig_span(t.start, t.end)[0] >= ev["trigger"][0])
        # the clause of the event word: from the agent's phrase to the event word (Hindi), or after it (English)
        phrases = doc.phrases[sent.index]
        agent = next((p for p in phrases for a in p.actors if a.span == tuple(ev["actor"]["span"])), None)
        if lex.head_final:
            lo = agent.marker[1] if agent is not None and agent.last <= tfirst else 0
            window = (lo, tfirst)
        else:
            window = (tfirst, len(keys))
        acts = lex.actions.find_all(keys, *window)
        if not acts:
            continue
        a_s, a_e, act = acts[0] if not lex.head_final else acts[-1]
        if lex.head_final:
            start = window[0]
            for p in phrases:  # skip a phrase (and its marker) that stands before the object
                if start <= p.first < a_s and p is not agent:
                    start = max(start, p.marker[1])
            end = next((i for i in range(start, a_s) if keys[i] == lex.config.get("object_marker", "को")), a_s)
        else:
            start = a_e
            end = start
            while end < len(keys) and end - start < 6 and keys[end][0].isalnum() and not lex.markers.longest(keys, end):
                end += 1
        horizon = lex.horizons.find_all(keys, *((0, len(keys))))
        horizon_text = _text(doc, sent, horizon[0][0], horizon[0][1]) if horizon else None
        if horizon and start <= horizon[0][0] < end:
            end = horizon[0][0]
        if end <= start:
            continue
        obj = _text(doc, sent, start, end)
        topics = list(dict.fromkeys(r["topic"] for _, _, r in lex.topics.find_all(keys, start, end))) \
            or ev.get("topics", [])
        parties = [ev["actor"]["code"]] + ([ev["recipient"]["code"]] if ev["reciprocal"] else [])
        out.append({"parties": parties, "beneficiary": None if ev["reciprocal"] else ev["recipient"]["code"],
                    "action": act["action"], "object": obj, "topics": topics,
                    "horizon": horizon_text, "horizon_kind": horizon[0][2]["horizon"] if horizon else None,
                    "modality": ev["modality"], "event": ev["id"], "sentence": ev["sentence"],
                    "span": ev["span"], "evidence": ev["evidence"], "date": doc.date})
    return out


@stage("agreements", requires=("events",), assigns=("agreements", "commitments"))
def agreements_stage(doc: Document, res: Resources) -> Document:
    lex = res.lexicon(doc.lang)
    doc.agreements = find_agreements(doc, lex)
    doc.commitments = find_commitments(doc, lex)
    return doc


@stage("finalize", requires=("events",), assigns=("record",))
def finalize(doc: Document, res: Resources) -> Document:
    """Order events by position; nothing else to do yet (kept so engines can rely on the name)."""
    doc.events.sort(key=lambda e: (e["sentence"], e["span"][0]))
    return doc
