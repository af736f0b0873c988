"""Counterparts and titles resolve through the extraction pipeline on the article's date."""

from __future__ import annotations

import pytest

from sambandh.pipeline import extract_text


def actors(rec):
    for ev in rec["events"]:
        yield ev["actor"]
        if ev.get("recipient"):
            yield ev["recipient"]


@pytest.mark.parametrize("text,lang,date,expected", [
    ("भारत के विदेश मंत्री ने अपने रूसी समकक्ष से मुलाकात की।", "hi", "2023-05-01",
     {("IND", "foreign_minister", "s-jaishankar"), ("RUS", "foreign_minister", "sergey-lavrov")}),
    ("The Indian foreign minister met his Russian counterpart in Moscow.", "en", "2023-05-01",
     {("IND", "foreign_minister", "s-jaishankar"), ("RUS", "foreign_minister", "sergey-lavrov")}),
    ("भारत के प्रधानमंत्री ने रूस के राष्ट्रपति से मुलाकात की।", "hi", "2020-05-01",
     {("IND", "head_of_government", "narendra-modi"), ("RUS", "head_of_state", "vladimir-putin")}),
    ("भारत के प्रधानमंत्री ने रूस के राष्ट्रपति से मुलाकात की।", "hi", "2013-05-01",
     {("IND", "head_of_government", "manmohan-singh"), ("RUS", "head_of_state", "vladimir-putin")}),
])
def test_counterparts_and_titles_resolve_on_the_article_date(text, lang, date, expected):
    rec = extract_text(text, published=date, lang=lang)
    got = {(a.get("country"), a.get("office"), a.get("person")) for a in actors(rec)}
    assert expected <= got, got
