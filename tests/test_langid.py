import pytest

from bigscience_corpus.processing import build_step
from bigscience_corpus.processing.langid import LanguageIdentifier, to_bcp47


@pytest.mark.parametrize("label, tag", [("__label__zh", "zh"), ("__label__swh_Latn", "sw"), ("__label__eng_Latn", "en"),
                                        ("__label__yor_Latn", "yo"), ("__label__uzb_Cyrl", "uz-Cyrl"),
                                        ("__label__als", "sq")])
def test_labels_to_bcp47(label, tag):
    assert to_bcp47(label) == tag


def test_document_and_line_level(udhr):
    identifier = LanguageIdentifier()
    predicted = identifier.predict([udhr[lang] for lang in ("en", "fr", "ar", "zh", "hi", "ur", "sw")])
    assert [lang for lang, _ in predicted] == ["en", "fr", "ar", "zh", "hi", "ur", "sw"]
    mixed = udhr["en"] + "\n" + udhr["fr"]
    shares = identifier.line_shares(mixed)
    assert set(shares) == {"en", "fr"}
    assert shares["en"] == pytest.approx(len(udhr["en"].replace("\n", "")) / len(mixed.replace("\n", "")), abs=0.01)


def test_langid_step_sets_missing_languages(udhr):
    step = build_step({"name": "langid", "params": {"default": {"lines": True, "set_lang": True}}})
    out = step({"text": [udhr["sw"], "", udhr["es"], udhr["fr"]], "lang": [None, None, "es", "und"]})
    assert out["pred_lang"] == ["sw", None, "es", "fr"]
    assert out["lang"] == ["sw", None, "es", "fr"]
    assert out["edits"] == [["langid"], [], [], ["langid"]]
    assert out["pred_lang_lines"][1] == []
