"""lookup and the romanizer take any text without failing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sambandh.kb import load_kb
from sambandh.kb.lookup import lookup, scan_names
from sambandh.kb.romanize import fast_fold, name_key, romanize
from sambandh.text.normalize import fold

KB = load_kb()
TEXT = st.text(alphabet=st.sampled_from(list("अआकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहािीुूृेैोौंँः़्ऽ।॥"
                                             "abcxyzABC ЛавровСергей.-'|\t0123९ ")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_lookup_and_romanize_never_fail(text):
    romanize(text)
    name_key(text)
    assert fast_fold(text) == fold(text)
    for c in lookup(KB, text, "2020-01-01", limit=3):
        assert 0 < c.score <= 100
    scan_names(KB, text.split())
