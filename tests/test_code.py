"""Event coding on sentences written for these tests: who did what to whom, and how sure."""

from __future__ import annotations

import pytest

from sambandh.pipeline import extract_text


def events(text: str, lang: str, published: str = "2024-06-01") -> set[tuple[str, str, str, str]]:
    rec = extract_text(text, lang=lang, published=published)
    return {(e["actor"]["code"], e["recipient"]["code"], e["event"], e["modality"]) for e in rec["events"]}


@pytest.mark.parametrize("text,expected", [
    # ने marks the agent, से the partner of a meeting
    ("चीन के विदेश मंत्री ने बीजिंग में पाकिस्तान के प्रधानमंत्री से मुलाकात की।", ("CHN", "PAK", "CONSULT", "asserted")),
    # की marks the object of a noun + light verb compound
    ("भारत ने इसराइल की आलोचना की।", ("IND", "ISR", "ACCUSE", "asserted")),
    # पर marks the target of an attack or a sanction
    ("अमरीका ने ईरान पर नए प्रतिबंध लगाए।", ("USA", "IRN", "SANCTION", "asserted")),
    # को marks the recipient of a threat; the future ending makes it future
    ("रूस यूक्रेन को कड़ी चेतावनी देगा।", ("RUS", "UKR", "THREATEN", "future")),
    # सकता: possibility
    ("जापान दक्षिण कोरिया पर प्रतिबंध लगा सकता है।", ("JPN", "KOR", "SANCTION", "hypothetical")),
    # नहीं: negated
    ("भारत ने पाकिस्तान से बातचीत नहीं की।", ("IND", "PAK", "CONSULT", "negated")),
    # "हमले की धमकी": the threat is the event, the attack only its object
    ("अमरीका ने सीरिया पर हमले की धमकी दी।", ("USA", "SYR", "THREATEN", "asserted")),
    # an armed group is coded by its country
    ("हमास ने इसराइल पर रॉकेट हमले किए।", ("PSE", "ISR", "ASSAULT", "asserted")),
])
def test_hindi_roles_from_case_markers(text, expected):
    assert expected in events(text, "hi")


def test_hindi_threat_of_attack_is_not_an_attack():
    got = events("अमरीका ने सीरिया पर हमले की धमकी दी।", "hi")
    assert not any(t == "ASSAULT" for _, _, t, _ in got)


def test_hindi_coordination_is_reciprocal():
    rec = extract_text("भारत और जापान ने रक्षा सहयोग बढ़ाने पर सहमति जताई।", lang="hi", published="2024-06-01")
    ev = [e for e in rec["events"] if e["event"] == "AGREE"]
    assert ev and ev[0]["reciprocal"] and {ev[0]["actor"]["code"], ev[0]["recipient"]["code"]} == {"IND", "JPN"}
    assert "defence" in ev[0]["topics"]


def test_hindi_comma_list_gives_every_pair():
    got = events("फ्रांस, ब्रिटेन और जर्मनी इस प्रस्ताव पर सहमत हो गए हैं।", "hi")
    pairs = {frozenset((a, r)) for a, r, t, _ in got if t == "AGREE"}
    assert pairs == {frozenset(p) for p in (("FRA", "GBR"), ("FRA", "DEU"), ("GBR", "DEU"))}


def test_sport_sentences_give_no_events():
    assert events("भारत ने दक्षिण अफ्रीका का दौरा किया और टेस्ट सीरीज में दो शतक लगे।", "hi") == set()
    assert events("India toured South Africa for a three-match Test series.", "en") == set()


def test_domestic_sentence_gives_no_events():
    assert events("प्रधानमंत्री ने दिल्ली में किसानों से मुलाकात की।", "hi") == set()


@pytest.mark.parametrize("text,expected", [
    ("Russia condemned North Korea's missile test.", ("RUS", "PRK", "ACCUSE", "asserted")),
    ("The United States imposed sanctions on Iran.", ("USA", "IRN", "SANCTION", "asserted")),
    ("Iran was attacked by Israel last night.", ("ISR", "IRN", "ASSAULT", "asserted")),
    ("Russian diplomats expelled by the US left Washington.", ("USA", "RUS", "SANCTION", "asserted")),
    ("China will hold talks with Japan next week.", ("CHN", "JPN", "CONSULT", "future")),
    ("India did not sign the agreement with Pakistan.", ("IND", "PAK", "SUPPORT", "negated")),
    ("The UN accused Iran of bombing the Syrian capital.", ("UNO", "IRN", "ACCUSE", "asserted")),
    # the object of an accusation acts in the act it is accused of, which is only claimed
    ("The UN accused Iran of bombing Damascus.", ("IRN", "SYR", "ASSAULT", "hypothetical")),
    # the object of a request acts in what is requested
    ("France urged Germany to impose sanctions on Russia.", ("DEU", "RUS", "SANCTION", "hypothetical")),
    ("Turkey agreed to a ceasefire with Syria.", ("TUR", "SYR", "RETREAT", "asserted")),
    ("Armenia and Azerbaijan pounded each other overnight.", ("ARM", "AZE", "ASSAULT", "asserted")),
    ("Russia expels diplomats from Germany, Poland and Sweden.", ("RUS", "SWE", "SANCTION", "asserted")),
])
def test_english_roles(text, expected):
    assert expected in events(text, "en")


def test_english_descriptions_are_not_events():
    assert events("The Iran-backed militia held a rally in the capital.", "en") == set()
    got = events("Turkey agreed to a ceasefire with Syria.", "en")
    assert not any(t == "AGREE" for _, _, t, _ in got)


def test_evidence_and_provenance():
    text = "Intro line.\nIndia and Japan signed a defence agreement in Tokyo."
    rec = extract_text(text, lang="en", published="2024-06-01")
    ev = next(e for e in rec["events"] if e["event"] == "SUPPORT")
    assert ev["sentence"] == 1 and text[ev["span"][0]:ev["span"][1]] == ev["evidence"]
    assert text[ev["trigger"][0]:ev["trigger"][1]] == "signed"
    assert ev["event_loc"]["name"] == "Tokyo" and ev["quad_code"] == 1 and ev["cameo"] == "057"
    assert ev["rule"] == "en/support/signed" and 0 < ev["confidence"] <= 1 and ev["date"] == "2024-06-01"
    ag = rec["agreements"][0]
    assert ag["status"] == "signed" and set(ag["parties"]) == {"IND", "JPN"} and "defence" in ag["sectors"]
