"""The step contract and the first steps, checked against hand-computable cases and real text."""
import pytest

from bigscience_corpus.processing import STEPS, build_step
from bigscience_corpus.processing.normalise import normalise_text
from bigscience_corpus.processing.filters_roots import character_repetition_ratio
from bigscience_corpus.processing.text import words


def test_normalise_whitespace_and_nfc():
    decomposed = "e\u0301t\u00e9\u00a0\u3000a  \r\n\r\n\r\n\r\nb \t"
    assert normalise_text(decomposed) == "\u00e9t\u00e9  a\n\nb"
    assert normalise_text(decomposed, form=None).startswith("e\u0301")


def test_normalise_records_edits_only_on_changed_documents(udhr):
    batch = {"text": [udhr["en"], udhr["en"] + "  "], "lang": ["en", "en"]}
    out = build_step("normalise")(batch)
    assert out["edits"] == [[], ["normalise"]]
    assert out["text"][1] == udhr["en"]


def test_words_counts_each_han_character_and_spaced_words():
    assert words("a b  c\nd") == ["a", "b", "c", "d"]
    assert words("数据abc 集") == ["数", "据", "abc", "集"]


def test_character_repetition_by_hand():
    # "abab" has 2-grams ab, ba, ab: 2 distinct, k = min(floor(sqrt(2)), 1 repeated) = 1 -> 2/3
    assert character_repetition_ratio("abab", 2) == pytest.approx(2 / 3)
    assert character_repetition_ratio("abcdef", 2) == 0.0  # nothing repeats
    assert character_repetition_ratio("", 10) == 0.0
    assert character_repetition_ratio("ab" * 500, 10) > 0.4


def test_word_count_uses_per_language_roots_parameters_and_recipe_overrides(udhr):
    step = build_step({"name": "word_count", "params": {"default": {"min_words": 3}, "yo": {"min_words": 500}}})
    assert step.params_for("en")["min_words"] == 20  # ROOTS's English threshold
    assert step.params_for("zh-Hans")["min_words"] == 1  # falls back to zh
    assert step.params_for("sw")["min_words"] == 3  # no ROOTS parameters: the recipe's default
    texts = [udhr["en"], "too short", udhr["yo"]]
    out = step({"text": texts, "lang": ["en", "en", "yo"]})
    assert out["stat_word_count"] == [len(t.split()) for t in texts]
    assert out["drop_reason"][0] is None
    assert out["drop_reason"][1] == "word_count: 2 words < 20"
    assert out["drop_reason"][2].startswith("word_count: ")


def test_annotate_mode_flags_without_dropping():
    out = build_step({"name": "word_count", "mode": "annotate"})({"text": ["one two"], "lang": ["en"]})
    assert out["drop_reason"] == [None] and out["flags"] == [["word_count"]]


def test_first_failing_filter_names_the_drop():
    batch = {"text": ["ab" * 40], "lang": ["en"]}
    for name in ("word_count", "char_repetition"):
        batch = build_step(name)(batch)
    assert batch["drop_reason"][0].startswith("word_count:")
    # 71 10-grams, two distinct ("abab…" 36 times, "baba…" 35 times), k = 1: 36/71
    assert batch["stat_char_repetition"][0] == pytest.approx(36 / 71)


@pytest.mark.parametrize("spec, message", [
    ({"name": "nope"}, "unknown processing step 'nope'"),
    ({"name": "word_count", "params": {"en": {"min_wrds": 3}}}, "unknown parameter(s) ['min_wrds']"),
    ({"name": "word_count", "mode": "maybe"}, "mode must be one of"),
    ({"name": "word_count", "threshold": 3}, "unknown key(s) ['threshold']"),
])
def test_bad_step_specs_are_explained(spec, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        build_step(spec)


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_step_handles_empty_none_and_letterless_text(name):
    batch = {"text": ["", None, "1234 5678 !!!"], "lang": [None, "xx", "en"]}
    out = build_step(name)(batch)
    assert len(out["text"]) == 3
    assert all(len(column) == 3 for column in out.values())


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_step_pickles_after_use_for_worker_processes(name, udhr):
    import pickle

    step = build_step(name)
    step({"text": [udhr["en"]], "lang": ["en"]})  # resources a step loads lazily are loaded now
    clone = pickle.loads(pickle.dumps(step))
    assert clone({"text": [udhr["ur"]], "lang": ["ur"]}) == step({"text": [udhr["ur"]], "lang": ["ur"]})
