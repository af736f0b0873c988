from sambandh.text.normalize import fold, normalize


def test_nukta_chandrabindu_and_half_nasal_fold_alike():
    assert fold("फ़िलिस्तीन") == fold("फिलिस्तीन")
    assert fold("चाँद") == fold("चांद")
    assert fold("हिन्दी") == fold("हिंदी")
    assert fold("सम्बन्ध") == fold("संबंध")
    assert fold("ख़िलाफ़") == fold("खिलाफ")


def test_zero_width_and_digits():
    assert fold("भा\u200dरत") == "भारत"
    assert fold("२०२५") == "2025"


def test_offsets_point_into_original():
    text = "\ufeffज़रूरी ख़बर: फ़्रांस"
    norm, offs = normalize(text)
    assert len(offs) == len(norm) + 1
    i = norm.index("फ्रांस")
    j = i + len("फ्रांस")
    assert text[offs[i]:offs[j]] == "फ़्रांस"


def test_fast_and_general_paths_agree():
    from sambandh.text.normalize import _normalize_clusters, _normalize_nfc

    for text in ("हिन्दी मुलाक़ात", "फ़िलिस्तीन|चाँद २०२५", "Russia’s talks – “today”", "भा\u200dरत"):
        assert _normalize_nfc(text)[0] == _normalize_clusters(text)[0]


def test_text_not_in_nfc_is_composed():
    from sambandh.text.normalize import normalize

    norm, offs = normalize("Cafe\u0301 in Pe\u0301rou")
    assert norm == "Café in Pérou" and len(offs) == len(norm) + 1
