import random

import pytest

from bigscience_corpus.processing import ROOTS_FILTERS, STEPS, build_step
from bigscience_corpus.processing.filters_roots import (character_repetition_ratio, load_kenlm, perplexity,
                                                        word_repetition_ratio)
from bigscience_corpus.processing.text import augment, roots_words

from conftest import FIXTURES

LANGS = ["en", "fr", "es", "pt", "ar", "zh", "hi", "ur", "sw", "yo"]


def run(name, texts, langs=None, mode="apply", params=None):
    batch = {"text": list(texts), "lang": list(langs or ["en"] * len(texts))}
    return build_step({"name": name, "mode": mode, "params": params or {}})(batch)


def test_character_repetition_by_hand():
    # "abab" 2-grams: ab x2, ba x1 -> 3 distinct, k = floor(sqrt(3)) = 1, capped at 1 repeated -> 2/3
    assert character_repetition_ratio("abab", 2) == pytest.approx(2 / 3)
    # no n-gram repeats: the ROOTS variant caps k at 0
    assert character_repetition_ratio("abcdef", 2) == 0.0
    assert character_repetition_ratio("ab", 3) == 0.0


def test_word_repetition_by_hand():
    # bigrams of a b a b c: (a b) x2, (b a), (b c) -> 2 of 4 occurrences belong to repeated bigrams
    assert word_repetition_ratio("a b a b c".split(), 2) == pytest.approx(0.5)
    assert word_repetition_ratio(["a"], 2) == 0.0


def test_words_strip_special_characters_and_split_chinese():
    assert roots_words("«Hello», world... 42 !") == ["Hello", "world"]
    assert roots_words("人人生而自由") == list("人人生而自由")
    assert augment(["我", "们", "好"], [2]) == ["我", "们", "好", "我们", "们好"]


def test_word_count_and_special_characters_by_hand():
    out = run("word_count", ["one two three", "x " * 30], params={"en": {"min_words": 5}})
    assert out["stat_word_count"] == [3, 30]
    assert out["drop_reason"][0] == "word_count: 3 words < 5"
    assert out["drop_reason"][1] is None
    out = run("special_characters", ["ab12", "a", ""])
    assert out["stat_special_characters"] == [0.5, 0.0, 1.0]


def test_stopwords_with_explicit_list():
    out = run("stopwords", ["The cat and the dog", "cat dog"], params={"default": {"words": ["the", "and"]}},
              langs=["xx", "xx"])
    assert out["stat_stopwords"] == [pytest.approx(3 / 5), 0.0]
    assert out["drop_reason"] == [None, "stopwords: ratio 0 < 0.1"]


def test_annotate_mode_flags_instead_of_dropping():
    out = run("word_count", ["too short"], mode="annotate")
    assert out["drop_reason"] == [None] and out["flags"] == [["word_count"]]


def test_disabled_filter_annotates_but_never_drops():
    out = run("word_count", ["too short"], params={"en": {"enabled": False}})
    assert out["stat_word_count"] == [2] and out["drop_reason"] == [None]


def test_every_bigscience_language_group_has_parameters():
    step = STEPS["stopwords"]()
    for lang in ["sw", "yo", "ig", "zu", "xh", "ha", "ta", "te", "ml", "kn", "mr", "gu", "pa", "ur", "ar", "zh", "code"]:
        assert lang in STEPS["word_repetition"].language_params or lang == "ha", lang
    assert step.params_for("zh-Hans")["augment_group_sizes"] == [2]
    assert STEPS["special_characters"]().params_for("code")["enabled"] is False


@pytest.mark.parametrize("lang", LANGS)
def test_real_text_passes_its_language_thresholds(udhr, lang):
    """UDHR prose is clean text: every ROOTS filter with the language's parameters keeps it."""
    text = udhr[lang]
    out = {}
    for name in ROOTS_FILTERS:
        out.update(run(name, [text], [lang]))
    assert out["drop_reason"] == [None]
    assert out["stat_word_count"][0] >= 20
    # spaces and punctuation of running prose (Chinese has no spaces)
    assert (0.05 if lang == "zh" else 0.1) < out["stat_special_characters"][0] < 0.3
    if lang != "yo":  # lid.176 knows Yoruba poorly: the reason yo's language-ID check is disabled
        assert out["stat_lang_id_pred"][0] == lang and out["stat_lang_id"][0] > 0.5
    assert out["stat_stopwords"][0] > 0.05  # stopwords-iso has a list for each of these languages


def test_flagged_words_counts_listed_words(udhr):
    # The English UDHR excerpt bans the "slave trade": the only word of it on the English list (checked by hand).
    out = run("flagged_words", [udhr["en"]], mode="annotate")
    n_words = len(roots_words(udhr["en"]))
    assert out["stat_flagged_words"][0] == pytest.approx(udhr["en"].lower().split().count("slave") / n_words)
    assert out["flags"] == [[]]  # under ROOTS's English cutoff 0.01


def test_perplexity_matches_hand_computation_from_the_arpa_file():
    model = load_kenlm(str(FIXTURES / "en_bigram.arpa"))
    probs = {}
    section = None
    for line in (FIXTURES / "en_bigram.arpa").read_text().splitlines():
        if line.startswith("\\"):
            section = line
        elif line and section in ("\\1-grams:", "\\2-grams:"):
            fields = line.split("\t")
            probs[fields[1]] = (float(fields[0]), float(fields[2]) if len(fields) > 2 else 0.0)
    # A seen start bigram "<s> a", a seen bigram "a b", and "b </s>" unseen so it backs off to the unigram.
    seen = [k.split(" ") for k in probs if " " in k]
    a, b = next((a, b) for s0, a in seen if s0 == "<s>" for x, b in seen
                if x == a and b != "</s>" and f"{b} </s>" not in probs)
    expected = probs[f"<s> {a}"][0] + probs[f"{a} {b}"][0] + probs[b][1] + probs["</s>"][0]
    assert model.score(f"{a} {b}", bos=True, eos=True) == pytest.approx(expected, abs=1e-4)
    assert perplexity(model, f"{a.upper()} {b}") == pytest.approx(10 ** (-expected / 3), rel=1e-3)


def test_perplexity_prefers_real_word_order(udhr):
    model_path = str(FIXTURES / "en_bigram.arpa")
    words = udhr["en"].split()
    shuffled = words[:]
    random.Random(0).shuffle(shuffled)
    out = run("perplexity", [udhr["en"], " ".join(shuffled), ""], langs=["en"] * 3,
              params={"en": {"model": model_path, "max_perplexity": 10**9}})
    real, mixed, empty = out["stat_perplexity"]
    assert real < mixed and empty is None


def test_prefilter_removes_url_words_and_long_words():
    out = run("roots_prefilter", ["see http://x.org now\n" + "a" * 30 + " b"],
              params={"en": {"remove_url_words": True, "remove_long_words": True, "max_word_length": 20}})
    assert out["text"] == ["see now\nb"] and out["edits"] == [["roots_prefilter"]]
