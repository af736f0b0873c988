"""Agreements (status on the lifecycle, parties, sectors, history) and commitments."""

from __future__ import annotations

import pytest

from sambandh.pipeline import extract_text


@pytest.mark.parametrize("lang,text,status,parties,title", [
    ("hi", "भारत और जापान ने रक्षा समझौते पर हस्ताक्षर किए।", "signed", {"IND", "JPN"}, "रक्षा समझौते"),
    ("hi", "भारत और अमेरिका के बीच व्यापार समझौते पर बातचीत चल रही है।", "negotiating", {"IND", "USA"},
     "व्यापार समझौते"),
    ("hi", "भारत और ब्रिटेन का मुक्त व्यापार समझौता आज से लागू हो गया।", "in_force", {"IND", "GBR"}, None),
    ("hi", "अमेरिका ईरान के साथ परमाणु समझौते से हट गया।", "withdrawn", {"USA", "IRN"}, "परमाणु समझौते"),
    ("hi", "रूस और यूक्रेन के बीच शांति समझौते का मसौदा तैयार किया जा रहा है।", "drafting", {"RUS", "UKR"}, None),
    ("hi", "भारत और चीन के बीच सीमा समझौता कई साल से लंबित है।", "stalled", {"IND", "CHN"}, None),
    ("en", "India and the UK signed a free trade agreement in London.", "signed", {"IND", "GBR"},
     "free trade agreement"),
    ("en", "Japan and Australia are negotiating a defence pact.", "negotiating", {"JPN", "AUS"}, "defence pact"),
    ("en", "The treaty between Russia and China entered into force on Monday.", "in_force", {"RUS", "CHN"}, None),
    ("en", "The United States withdrew from the Iran nuclear deal.", "withdrawn", {"USA", "IRN"}, None),
])
def test_status_parties_title(lang, text, status, parties, title):
    ags = extract_text(text, lang=lang, published="2025-01-01")["agreements"]
    assert len(ags) == 1
    assert ags[0]["status"] == status and set(ags[0]["parties"]) == parties
    if title:
        assert ags[0]["title"] == title


def test_history_grows_and_sectors_come_from_a_later_sentence():
    text = ("India and Japan are negotiating a new agreement. The agreement covers defence and space. "
            "On Friday India and Japan signed the agreement in Tokyo.")
    ags = extract_text(text, lang="en", published="2025-01-01")["agreements"]
    assert len(ags) == 1
    assert [h["status"] for h in ags[0]["history"]] == ["negotiating", "signed"]
    assert ags[0]["status"] == "signed" and {"defence", "space"} <= set(ags[0]["sectors"])


def test_commitment_with_horizon():
    rec = extract_text("China promised to increase investment in Pakistan in the coming years.", lang="en",
                       published="2025-01-01")
    (c,) = rec["commitments"]
    assert c["parties"] == ["CHN"] and c["beneficiary"] == "PAK" and c["action"] == "increase"
    assert c["topics"] == ["investment"] and c["horizon_kind"] == "coming years"
