"""Every step survives bad input: None, empty text, no letters, mixed scripts, a 50 MB single line."""
import time

from bigscience_corpus.processing import STEPS, build_step
from bigscience_corpus.processing.base import MAX_EVALUATED_CHARS


def test_every_step_handles_bad_input(udhr):
    mixed = " ".join(udhr[lang].split("\n")[0] for lang in ("en", "zh", "ar", "hi"))
    huge = (udhr["en"].replace("\n", " ") + " ") * (50_000_000 // (len(udhr["en"]) + 1))
    assert len(huge) > MAX_EVALUATED_CHARS and "\n" not in huge
    texts = [None, "", "123 456 !!! ...", mixed, huge]
    start = time.monotonic()
    for name in sorted(STEPS):
        out = build_step({"name": name, "mode": "annotate"})({"text": list(texts), "lang": ["en"] * len(texts)})
        assert all(len(column) == len(texts) for column in out.values()), name
        if "flags" in out and name not in ("langid",):
            assert name in out["flags"][4], name  # too long to evaluate: reported, not silently kept
            assert name not in out["flags"][3] or name in ("gopher_quality", "c4_quality", "fineweb_quality",
                                                           "lang_id", "word_count", "stopwords"), name
    assert time.monotonic() - start < 60
