import pytest

from bigscience_corpus.processing import build_step
from bigscience_corpus.processing.filters_gopher import (duplicated_ngram_chars, duplicates, gopher_words,
                                                         top_ngram_chars)


def run(name, texts, mode="apply", params=None):
    return build_step({"name": name, "mode": mode, "params": params or {}})({"text": list(texts)})


def test_gopher_counts_by_hand():
    assert duplicates(["a", "b", "a", "a"]) == (2, 2)
    # 2-grams (a b) x2, (b a) x1: the top one covers "a b" (3 characters) twice
    assert top_ngram_chars(("a", "b", "a", "b"), 2) == 6
    # scan: ab new, ba new, ab seen (+2, jump to 4), ab seen (+2, jump to 6): 4 characters
    # 3-grams: aba new, bab new, aba seen (+3, jump to 5): 3 characters
    assert duplicated_ngram_chars(("a", "b", "a", "b", "a", "b"), [2, 3]) == {2: 4, 3: 3}
    assert duplicated_ngram_chars(("a", "b", "c"), [2]) == {2: 0}


def test_gopher_words_follow_spacy_english():
    # Expected tokens from spaCy 3.8's blank English tokenizer on the same string (run by hand).
    text = "Don't e.g. well-known 3.5 U.S. http://x.org/a (hi) ... dog's"
    assert list(gopher_words(text)) == ["Do", "n't", "e.g.", "well", "-", "known", "3.5", "U.S.", "http://x.org/a",
                                        "(", "hi", ")", "...", "dog", "'s"]


def test_gopher_repetition_drops_repeated_lines(udhr):
    line = udhr["en"].split("\n")[0]
    out = run("gopher_repetition", [udhr["en"], "\n".join([line] * 4)])
    assert out["drop_reason"][0] is None
    assert out["stat_gopher_repetition_dup_line_frac"][1] == pytest.approx(3 / 4)
    # one paragraph, so the paragraph checks pass; 3 of 4 lines repeat: over 0.3
    assert out["drop_reason"][1] == "gopher_repetition: dup_line_frac 0.750 > 0.3"


def test_gopher_quality(udhr):
    hashes = " ".join(["#tag word"] * 60)
    out = run("gopher_quality", [udhr["en"], hashes, ""])
    assert out["drop_reason"][0] is None
    assert out["stat_gopher_quality_stop_words"][0] >= 2
    assert out["stat_gopher_quality_hash_ratio"][1] == pytest.approx(60 / 180)  # tokens: "#", "tag", "word"
    assert "hash_ratio" in out["drop_reason"][1]
    assert "words" in out["drop_reason"][2]


def test_fineweb_ratios_by_hand():
    out = run("fineweb_quality", ["Hello there.\nshort\nshort", ""])
    assert out["stat_fineweb_quality_line_punct_ratio"][0] == pytest.approx(1 / 3)
    assert out["stat_fineweb_quality_short_line_ratio"][0] == 1.0
    assert out["stat_fineweb_quality_char_dup_ratio"][0] == pytest.approx(5 / 22)
    assert "short_line_ratio" in out["drop_reason"][0]
    assert out["drop_reason"][1] == "fineweb_quality: empty"


def test_c4_rules(udhr):
    sentences = [s.strip() + "." for s in udhr["en"].replace("\n", " ").split(".") if len(s.split()) >= 3][:6]
    clean = "\n".join(sentences)
    out = run("c4_quality", [clean + "\nPlease enable javascript.\nmenu", clean + "\nlorem ipsum dolor sit amet.",
                             clean + "\nf(x) { return x; }."])
    assert out["drop_reason"][0] is None and out["text"][0] == clean  # the two bad lines are gone
    assert out["edits"][0] == ["c4_quality"]
    assert out["drop_reason"][1] == "c4_quality: lorem ipsum"
    assert out["drop_reason"][2] == "c4_quality: curly bracket"
    annotated = run("c4_quality", [clean + "\nmenu"], mode="annotate")
    assert annotated["text"] == [clean + "\nmenu"]  # annotate mode never edits


def test_c4_badwords(udhr):
    out = run("c4_badwords", [udhr["en"], "A plain sentence."])
    assert out["drop_reason"] == ["c4_badwords: bad word 'slave'", None]


def _reference_duplicated_chars(words, n):
    """The published definition, position by position (as Gopher's description and datatrove state it)."""
    seen, chars, i = set(), 0, 0
    while i <= len(words) - n:
        gram = "".join(words[i:i + n])
        if gram in seen:
            chars += len(gram)
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


def test_duplicated_ngrams_match_the_definition_on_real_text(udhr):
    words = tuple(udhr["en"].split())
    # real prose with repeats: a passage, then half of it again, then the passage with every 7th word dropped
    text = words + words[: len(words) // 2] + tuple(w for i, w in enumerate(words) if i % 7)
    ns = [5, 6, 7, 8, 9, 10]
    assert duplicated_ngram_chars(text, ns) == {n: _reference_duplicated_chars(text, n) for n in ns}
