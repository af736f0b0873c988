"""Event coding: who did what to whom, clause by clause.

One mechanism for every language, driven by its lexicons: an event word
(predicates.tsv) is found in a clause; the agent is the phrase marked as
agent (ने, "by" in a passive) or else the unmarked subject; the recipient is
the phrase whose marker is one the event word takes (से for मुलाकात, की for
निंदा, पर for हमला; "with", "on", or the object in English). A coordinated
or "both sides" agent with no recipient makes a reciprocal event. Modality
comes from cues around the event word (modality.tsv).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .kb import DATA
from .lexicon import Lexicon
from .model import Actor, Document, Phrase, Sentence
from .pipeline import Resources, stage
from .tables import read_tsv

_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
MODALITY_ORDER = ("negated", "hypothetical", "future", "historical")
PASSIVE_SECTORS = {"CVL", "MED"}


@dataclass(slots=True)
class Trigger:
    first: int
    last: int
    row: dict[str, str]


@lru_cache(maxsize=1)
def plover_table() -> dict[str, dict[str, str]]:
    return {r["event"]: r for r in read_tsv(DATA / "plover.tsv")}


@lru_cache(maxsize=1)
def topic_table() -> dict[str, dict[str, str]]:
    return {r["topic"]: r for r in read_tsv(DATA / "topics.tsv")}


def clauses(sent: Sentence, lex: Lexicon) -> list[tuple[int, int, dict[str, str]]]:
    """(first, last, opener) token ranges of the sentence's clauses; `opener` is the clause.tsv row that
    opened the clause (kind report, relative, boundary), empty for the first."""
    keys = [t.key for t in sent.tokens]
    out = []
    lo, opener = 0, {}  # type: tuple[int, dict[str, str]]
    for s, e, row in lex.clause.find_all(keys):
        if s > lo:
            out.append((lo, s, opener))
        lo, opener = e, row
    if lo < len(keys):
        out.append((lo, len(keys), opener))
    return out


def _roles(cell: str) -> list[str]:
    return [r for r in cell.split("|") if r]


def modality_of(keys: list[str], lo: int, hi: int, trig: Trigger, lex: Lexicon, year: int | None) -> str:
    found: set[str] = set()
    for s, e, row in lex.modality.find_all(keys, lo, hi):
        scope = row.get("scope", "clause")
        if scope == "after" and s < trig.last and not (s == trig.last - 1 and row["cue"].startswith("*")):
            continue  # after the event word, or its own verb ending ("आएंगे", "मिलेंगे")
        if scope == "before" and s >= trig.first:
            continue
        if scope == "near" and not (trig.first - int(lex.config.get("near", 3)) <= e <= trig.first):
            continue
        if scope == "soon" and not (trig.last <= s <= trig.last + int(lex.config.get("soon", 4))):
            continue
        found.add(row["modality"])
    if year:
        for k in keys[lo:hi]:
            if _YEAR.match(k) and int(k) < year - 1:
                found.add("historical")
    for m in MODALITY_ORDER:
        if m in found:
            return m
    return "asserted"


def latest_year(text: str) -> int | None:
    """An undated article is taken to be as recent as the latest year it mentions (for "historical")."""
    years = [int(y) for y in _YEAR_IN_TEXT.findall(text) if int(y) <= 2100]
    return max(years) if years else None


def _nominal_owner(phrases: list[Phrase], trig: Trigger, keys: list[str], lex: Lexicon) -> Phrase | None:
    """In Hindi, an event noun used as an adverbial ("X के समर्थन से", "X की मदद के साथ") belongs to the
    genitive phrase right before it: that phrase acts, and the clause's agent receives."""
    if not lex.head_final or trig.first == 0 or trig.last >= len(keys):
        return None
    after = lex.markers.longest(keys, trig.last)
    if not after or not set(after[1]["role"].split("|")) & {"with", "from"}:
        return None
    return next((p for p in phrases if p.marker[1] == trig.first and "of" in p.role.split("|")
                 and any(a.code for a in p.actors)), None)


def _as_threat(row: dict[str, str], s: int, e: int, found: list[tuple[int, int, Any]], n: int) -> dict[str, str]:
    """A promise of a conflict act next to it is a threat: the row, retyped."""
    becomes = plover_table()[row["event"]].get("to_conflict")
    if not becomes:
        return row
    near = [f for f in found[n + 1:n + 2] if f[0] - e <= 3] + [f for f in found[max(0, n - 1):n] if s - f[1] <= 3]
    table = plover_table()
    if any(f[2]["event"] in table and table[f[2]["event"]]["quad"] in ("3", "4") for f in near):
        base = table[becomes]
        return {**row, "event": becomes, "mode": "", "cameo": base["cameo"], "goldstein": base["goldstein"]}
    return row


def _modality(keys: list[str], lo: int, hi: int, trig: Trigger, found: list[tuple[int, int, Any]], n: int,
              lex: Lexicon, year: int | None) -> str:
    """The cue-based modality, then what the event word's neighbours say about it."""
    modality = modality_of(keys, lo, hi, trig, lex, year)
    if modality == "future" and trig.row.get("future") == "now":
        return "asserted"  # "will retaliate": the words are the threat, made now
    if not n or modality != "asserted":
        return modality
    governor = found[n - 1][2]["event"]
    gives_way = trig.row["event"] in plover_table().get(governor, {}).get("yields_to", "").split("|")
    if governor == "-" or gives_way:
        return modality  # "claimed responsibility for the attack", "agreed to a truce"
    if _embedded(keys, trig.first, lex, found[n - 1][1]):
        return "hypothetical"  # "accused Iran of bombing ...": the inner act is only claimed
    return modality


def _clause_agent(inside: list[Phrase], first_trigger: int, lex: Lexicon,
                  last_agent: Phrase | None) -> Phrase | None:
    """Who acts in a clause, event or not: the ने/agent phrase, else its first unmarked actor (before the
    first event word in English); a pronoun is the last such actor before it."""
    found = next((p for p in inside if p.role == "agent"), None) or \
        next((p for p in inside if not p.role and (p.ref == "pronoun" or any(
            a.code and a.sector not in PASSIVE_SECTORS for a in p.actors))
            and (lex.head_final or p.last <= first_trigger)), None)
    if found is not None and found.ref == "pronoun" and last_agent is not None:
        return last_agent
    return found


REQUEST_ROW = {"trigger": "should", "event": "REQUEST", "mode": "", "cameo": "", "goldstein": "",
               "recipient": "", "confidence": "0.6"}


def _told(inside: list[Phrase], keys: list[str], lo: int, hi: int, lex: Lexicon) -> Phrase | None:
    """In reported speech with a "should" (चाहिए, should, must), the one told what to do: the को phrase
    (Hindi) or the subject (English)."""
    modals = lex.config.get("request_modals", [])
    if not modals or not any(k in modals for k in keys[lo:hi]):
        return None
    coded = [p for p in inside if any(a.code for a in p.actors)]
    if lex.head_final:
        return next((p for p in coded if "to" in p.role.split("|")), None) or \
            next((p for p in coded if not p.role), None)
    first_modal = next(i for i in range(lo, hi) if keys[i] in modals)
    return next((p for p in coded if not p.role and p.last <= first_modal), None)


def _adjunct(keys: list[str], end: int, lex: Lexicon) -> bool:
    """An event noun in a time or cause phrase ("हमले के बाद", "after the attack")."""
    for term in lex.config.get("adjunct_markers", []):
        words = term.split()
        if keys[end:end + len(words)] == words:
            return True
    return False


def mutual(row: dict[str, str]) -> bool:
    """Whether a coordinated agent with no recipient did this to each other ("India and Russia agreed")."""
    if row.get("mutual"):
        return row["mutual"] == "yes"
    return plover_table()[row["event"]].get("mutual") == "yes"


def _all_pairs(actors: list[Actor]) -> list[tuple[Actor, Actor, bool]]:
    return [(a, b, True) for i, a in enumerate(actors) for b in actors[i + 1:]]


def _pairs(agent: Phrase | None, recipient: Phrase | None, inside: list[Phrase], row: dict[str, str],
           each_other: bool) -> list[tuple[Actor, Actor, bool]]:
    """(actor, recipient, reciprocal) triples of one event word."""
    both = mutual(row)
    between = next((p for p in inside if p.role == "between" and len(p.actors) >= 2), None)
    if between is None and agent is None and both:
        # "भारत और चीन के विदेश मंत्रियों की बैठक": the meeting of both
        between = next((p for p in inside if len(p.actors) >= 2 and "of" in p.role.split("|")), None)
    if between is not None and both and recipient is None and \
            (agent is None or {a.code for a in agent.actors} <= {a.code for a in between.actors}):
        return _all_pairs(between.actors)  # "रूस और अमरीका के बीच हुए समझौते"
    if agent is not None and recipient is not None:
        pairs = [(a, r, False) for a in agent.actors for r in recipient.actors]
        if row["event"] == "CONSULT" and len(recipient.actors) >= 2:
            pairs += _all_pairs(recipient.actors)  # X met Y and Z: Y and Z met too
        return pairs
    if agent is not None and len(agent.actors) >= 2 and (both or each_other):
        return _all_pairs(agent.actors)  # "India and Russia agreed", "pounded each other"
    if both and agent is None and recipient is not None and len(recipient.actors) >= 2:
        return _all_pairs(recipient.actors)
    return []


def _governed(keys: list[str], end: int, later: list[tuple[int, int, Any]], lex: Lexicon) -> bool:
    """An event word that is the object of a following one is not an event itself: "हमले की धमकी"
    (threat of attack), "मदद देने का वादा" (promise to help), "वार्ता शुरू करने से इनकार" (refusal to talk)."""
    if not later or not lex.head_final:
        return False
    for at in range(end, min(end + 5, len(keys))):
        m = lex.markers.longest(keys, at)
        if m and set(m[1]["role"].split("|")) & {"of", "with"} and later[0][0] == at + m[0]:
            return True
    return False


def _yields(row: dict[str, str], s: int, e: int, found: list[tuple[int, int, Any]], n: int) -> bool:
    """An event word that gives way to a nearby one it introduces ("agreed to a ceasefire" is a ceasefire)."""
    weaker = plover_table()[row["event"]].get("yields_to", "")
    if not weaker:
        return False
    near = [f for f in found[max(0, n - 1):n] if e - f[1] <= 0 and s - f[1] <= 2] + \
        [f for f in found[n + 1:n + 2] if f[0] - e <= 3]
    return any(f[2]["event"] in weaker.split("|") for f in near)


def _complement_agent(phrases: list[Phrase], trig: Trigger, earlier: list[tuple[int, int, Any]],
                      keys: list[str], lex: Lexicon) -> Phrase | None:
    """In English, the object of a request or accusation acts in the event it introduces
    ("urged Y to impose", "accused Y of bombing")."""
    if lex.head_final or not earlier:
        return None
    gov = earlier[-1]
    if gov[2]["event"] not in lex.config.get("control_events", []):
        return None
    if trig.first > 0 and keys[trig.first - 1] == "'s":
        return None  # "blaming X for Albania's expulsion": the possessor acts
    between = [p for p in phrases if gov[1] <= p.first and p.last <= trig.first and not p.role
               and any(a.code for a in p.actors)]
    return between[0] if between else None


def _embedded(keys: list[str], first: int, lex: Lexicon, previous_end: int) -> bool:
    """An event word that is the complement of an earlier one in English: "accused X of attacking",
    "rejected the ceasefire" (only articles between the two)."""
    if lex.head_final or first == 0:
        return False
    articles = lex.config.get("articles", [])
    before = first - 1
    while before > previous_end and keys[before] in articles:
        before -= 1  # "over the bombing", "in response to the sanctions"
    if keys[before] in lex.config.get("complement_preps", []):
        return True
    between = keys[previous_end:first]
    # "rejected the ceasefire", "offer security assistance": the event noun is the verb's object
    return all(k in articles for k in between) or (
        len(between) <= 2 and all(k.isalpha() and k.islower() and not lex.markers.longest(keys, previous_end + i)
                                  for i, k in enumerate(between)))


def _passive(keys: list[str], trig: Trigger, lex: Lexicon) -> bool:
    """"was attacked", or a participle followed by its agent ("diplomats expelled by the US")."""
    aux = set(lex.config.get("passive_aux", []))
    by = lex.config.get("passive_by", "")
    participle = keys[trig.last - 1].endswith(tuple(lex.config.get("participle_endings", [])))
    return bool(aux) and participle and (any(k in aux for k in keys[max(0, trig.first - 2):trig.first])
                                         or (trig.last < len(keys) and keys[trig.last] == by))


def pick_roles(phrases: list[Phrase], trig: Trigger, keys: list[str], lex: Lexicon,
               sentence_phrases: list[Phrase] | None = None) -> tuple[Phrase | None, Phrase | None, bool]:
    """(agent phrase, recipient phrase, recipient came from the fallback).

    With fallback "yes" a single other country in the clause is the recipient; with "sentence", in the
    sentence ("Portugal expels diplomats ... Russian embassy")."""
    head_final = lex.head_final
    passive = not head_final and _passive(keys, trig, lex)

    def roles(p: Phrase) -> set[str]:
        """A marker may mark several roles (से: with, from); an unmarked phrase is subject or object."""
        if p.role:
            return set(p.role.split("|"))
        before = p.last <= trig.first
        if head_final:
            # "जापान पहुंचे": an unmarked place right before a verb of arriving is where one goes
            return {"subj", "dest"} if p.last == trig.first else {"subj"}
        if passive:
            return {"obj"} if before else {"subj_after"}
        return {"subj"} if before else {"obj"}

    coded = [p for p in phrases if any(a.code for a in p.actors) or p.ref == "pronoun"]
    located = [p for p in coded if p.place and p.role == "in" and not p.ref]  # "मॉस्को में", "in Gaza"
    actors = [p for p in coded if p not in located]
    # civilians and media are no state actors: they may suffer an event, not act in one
    acting = [p for p in actors if any(a.sector not in PASSIVE_SECTORS for a in p.actors)]
    agent = None
    # "by" marks the agent of a passive (English) or of a द्वारा clause (Hindi), not "brokered by China"
    agent_roles = {"by"} if passive else ({"agent", "by"} if head_final else {"agent"})
    marked = [p for p in acting if roles(p) & agent_roles]
    if not head_final and trig.first > 0 and keys[trig.first - 1] in ("'s", "'"):
        # "Albania's expulsion of ...": the possessor of an event noun is its agent
        marked = [p for p in acting if p.last == trig.first - 1] or marked
    if marked:
        agent = min(marked, key=lambda p: abs(p.first - trig.first))
    else:
        subj = [p for p in acting if "subj" in roles(p) and p.last <= trig.first]
        if not subj and head_final:  # participial: "... दौरे पर पहुंचे चीनी प्रधानमंत्री"
            subj = [p for p in acting if "subj" in roles(p) and p.first >= trig.last]
        if subj:
            agent = subj[0]
    wanted = _roles(trig.row.get("recipient", ""))
    # a place the event happens in is its recipient only for events done to a place (attacks)
    candidates = actors + (located if "in" in wanted else [])
    best: tuple[int, int] | None = None
    recipient = None
    for p in candidates:
        if p is agent:
            continue
        have = roles(p)
        if head_final and p.first >= trig.last and "subj" not in have:
            continue  # verb-final: a marked recipient stands before the event word
        fits = [wanted.index(r) for r in have if r in wanted]
        if fits:
            if not head_final and "obj" in have and p.first > trig.last + 4:
                continue  # an object far after the verb is not its object
            if not head_final and p.last < len(keys) and lex.predicates.longest(keys, p.last):
                continue  # "host the BRICS summit": a name before an event noun only modifies it
            rank = (min(fits), abs(p.first - trig.first))
            if best is None or rank < best:
                best, recipient = rank, p
    fallback = False
    if recipient is None and agent is not None and len(agent.actors) == 1 \
            and trig.row.get("fallback") in ("yes", "sentence", "same"):
        pool = actors if trig.row["fallback"] == "yes" else sentence_phrases or actors
        agent_codes = {a.code for a in agent.actors}
        others = {a.code: p for p in pool if p is not agent for a in p.actors
                  if a.code and a.code not in agent_codes and not (p.place and p.role == "in")}
        if len(others) == 1:
            recipient, fallback = next(iter(others.values())), True
    return agent, recipient, fallback


def _event(doc: Document, sent: Sentence, trig: Trigger, actor: Actor, recipient: Actor, reciprocal: bool,
           modality: str, topics: list[str], place: Any, fallback: bool, plover: dict, topic_ctx: dict,
           lang: str) -> dict[str, Any]:
    row = trig.row
    kind = row["event"]
    base = plover[kind]
    context = [c for c in [base.get("context", "")] if c]
    for t in topics:
        c = topic_ctx.get(t, {}).get("context")
        if c and c not in context:
            context.append(c)
    mode = row.get("mode") or None
    if kind == "CONSULT" and not mode and place is not None and place.country == recipient.code \
            and actor.code != place.country:
        mode = "visit"
    span = doc.orig_span(sent.start, sent.end)
    tspan = doc.orig_span(sent.tokens[trig.first].start, sent.tokens[trig.last - 1].end)
    conf = float(row.get("confidence") or 0.7) * (0.8 if fallback else 1.0)
    rule = f"{lang}/{kind.lower()}/{row['trigger'].split('|')[0]}"
    ev = {
        "actor": actor.as_dict(), "recipient": recipient.as_dict(), "event": kind, "mode": mode,
        "reciprocal": reciprocal, "modality": modality, "context": context, "topics": topics,
        "quad_code": int(base["quad"]), "cameo": row.get("cameo") or base["cameo"],
        "goldstein": float(row.get("goldstein") or base["goldstein"]),
        "event_loc": ({"name": place.name, "country": place.country, "latitude": place.lat,
                       "longitude": place.lon} if place is not None else None),
        "date": doc.date, "sentence": sent.index, "span": list(span), "trigger": list(tspan),
        "evidence": doc.text[span[0]:span[1]], "rule": rule, "confidence": round(conf, 2),
    }
    key = f"{doc.id}|{sent.index}|{actor.code}|{recipient.code}|{kind}|{modality}"
    ev["id"] = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return ev


@stage("code", requires=("phrases",), assigns=("events", "topics"))
def code_events(doc: Document, res: Resources) -> Document:
    lex = res.lexicon(doc.lang)
    plover = plover_table()
    topic_ctx = topic_table()
    year = int(doc.date[:4]) if doc.date else latest_year(doc.norm)
    events: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    doc_topics: dict[str, None] = {}
    last_agent: Phrase | None = None
    for sent, phrases in zip(doc.sentences, doc.phrases):
        keys = [t.key for t in sent.tokens]
        topics = list(dict.fromkeys(row["topic"] for _, _, row in lex.topics.find_all(keys)))
        doc_topics.update(dict.fromkeys(topics))
        place = next((p.place for p in phrases if p.place is not None and p.role == "in"), None)
        taken = {i for p in phrases for i in range(p.first, p.last)}
        # sport or entertainment: a "tour" or a "clash" there is no state's act (agents are still followed)
        quiet = bool(lex.nonpolitical.find_all(keys))
        prev_agent: Phrase | None = None
        clause_agent: Phrase | None = None
        for lo, hi, opener in clauses(sent, lex):
            reported = opener.get("kind") == "report"
            speaker_of_report = clause_agent if reported else None
            prev_agent = None  # an agent carries over within a clause ("X ने ... की और Y की निंदा की"), not past it
            relative_to = clause_agent if opener.get("kind") == "relative" else None
            # "अमेरिका ने कहा कि वह ...": a pronoun opening reported speech is the speaker
            speaker = clause_agent if reported and lo < len(keys) and \
                keys[lo] in lex.config.get("report_pronouns", []) else None
            inside = [p for p in phrases if p.first >= lo and p.last <= hi]
            has_agreement = bool(lex.agreements.find_all(keys, lo, hi))
            ctopics = list(dict.fromkeys(row["topic"] for _, _, row in lex.topics.find_all(keys, lo, hi)))
            words = lex.predicates.find_all(keys, lo, hi)
            clause_agent = _clause_agent(inside, words[0][0] if words else hi, lex, last_agent)
            if clause_agent is not None and any(a.code for a in clause_agent.actors):
                last_agent = clause_agent  # "मोदी ने भाषण दिया। उन्होंने ...": who "they" is
            found = [] if quiet else [f for f in words if f[2].get("cond") != "agreement" or has_agreement]
            told = _told(inside, keys, lo, hi, lex) if reported and not quiet else None
            if told is not None and speaker_of_report is not None and told.ref != "both" and not (
                    {a.code for a in told.actors} & {a.code for a in speaker_of_report.actors}):
                # "रूस ने कहा कि सीरिया को सहयोग करना चाहिए", "X said Y should ...": a request to Y
                for actor, rec, _ in _pairs(speaker_of_report, told, inside, REQUEST_ROW, False):
                    key = (sent.index, actor.code, rec.code, "REQUEST", "asserted")
                    if actor.code and rec.code and actor.code != rec.code and key not in seen:
                        seen.add(key)
                        events.append(_event(doc, sent, Trigger(lo, lo + 1, REQUEST_ROW), actor, rec, False,
                                             "asserted", ctopics or topics, place, False, plover, topic_ctx,
                                             doc.lang or ""))
            emitted = False
            clause_recipients: set[str] = set()
            each_other = any(p.ref == "each_other" for p in inside)
            for n, (s, e, row) in enumerate(found):
                if any(i in taken for i in range(s, e)):
                    continue
                if row["event"] == "-" or _governed(keys, e, found[n + 1:], lex) or _yields(row, s, e, found, n):
                    continue  # "-": a phrase that only looks like an event ("strikes back", "free trade")
                if s > 0 and doc.norm[sent.tokens[s].start - 1] == "-" and not lex.head_final:
                    continue  # "Iran-backed", "Saudi-led": a description, not an event
                trig = Trigger(s, e, row)
                owner = _nominal_owner(inside, trig, keys, lex)
                blockers = set(_roles(row.get("blocked_by", "")))
                if owner is None and e < len(keys) and keys[e] in blockers:
                    continue  # "मदद से" with no one's help named: "with the help of", no event
                agent, recipient, fallback = pick_roles(inside, trig, keys, lex, phrases)
                if owner is not None:
                    # "फ्रांस के समर्थन से अमरीका ने ...": France supports, the one who acts with it is helped
                    agent, recipient, fallback = owner, next(
                        (p for p in inside if p.role == "agent" and p is not owner), None), False
                if fallback and emitted and recipient is not None and not (
                        row.get("fallback") == "same" and {a.code for a in recipient.actors} <= clause_recipients):
                    # a guessed recipient only for a clause's first event; "same": the one its events already
                    # have ("sanctions on Venezuela over alleged interference")
                    recipient, fallback = None, False
                if recipient is None and relative_to is not None and relative_to is not agent \
                        and opener.get("role") in _roles(row.get("recipient", "")):
                    recipient = relative_to  # "परीक्षण किया, जिसकी दक्षिण कोरिया ने निंदा की"
                inner = _complement_agent(inside, trig, found[:n], keys, lex)
                if inner is not None and inner is not recipient:
                    agent = inner  # "X urged Y to impose sanctions": Y imposes them
                if agent is not None and agent.ref == "pronoun" and not any(a.code for a in agent.actors):
                    agent = last_agent
                if agent is None and speaker is not None:
                    agent = speaker
                if agent is None and not reported and prev_agent is not None and recipient is not None:
                    agent = prev_agent  # "X ने ... की और Y की निंदा की": the same agent goes on
                if _adjunct(keys, e, lex) and agent is not None and (recipient is None or fallback):
                    agent = None  # "संघर्ष के बाद से": a background mention; its agent is not the clause's
                pairs = _pairs(agent, recipient, inside, row, each_other)
                if agent is not None:
                    prev_agent = agent
                    last_agent = agent
                    clause_agent = clause_agent or agent
                if not pairs:
                    continue
                trig = Trigger(s, e, _as_threat(row, s, e, found, n))
                row = trig.row
                modality = _modality(keys, lo, hi, trig, found, n, lex, year)
                for actor, rec, reciprocal in pairs:
                    if not actor.code or not rec.code or actor.code == rec.code:
                        continue
                    key = (sent.index, actor.code, rec.code, row["event"], modality)
                    if key in seen:
                        continue
                    seen.add(key)
                    emitted = True
                    clause_recipients.add(rec.code)
                    events.append(_event(doc, sent, trig, actor, rec, reciprocal, modality, ctopics or topics, place,
                                         fallback, plover, topic_ctx, doc.lang or ""))
    doc.events = events
    doc.topics = list(doc_topics)
    return doc
