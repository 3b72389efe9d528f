"""PII detection: throughput on the shared corpus, and recall/precision on a labelled set, against peers.

1. Throughput: `find_pii` (all types) and the `pii` step's redaction over the first `--limit` documents of the
   shared bench corpus, one process: docs/s and MB/s per core. The same documents through datatrove's
   `PIIFormatter` (emails and IPv4 only) and through scrubadub's default detectors (on `--scrubadub-limit`
   documents: it is much slower).
2. Quality: `--labelled` corpus documents with PII values inserted at known offsets and look-alikes (dates,
   versions, ISBNs, prices, timestamps, hex colours, hashes, code) inserted beside them, by the generator of
   tests/fixtures/make_pii_testset.py. A label counts as found when a detection overlaps it (peers name types
   differently and draw span edges differently); precision is over detections that touch an inserted value
   (inserted PII or look-alike). The untouched corpus text holds real PII no one labelled (Debian maintainers'
   addresses, example IPs), so detections there are reported per MB, with samples, not scored.
   presidio is not run: its analyzer needs a spaCy model, which pip installs only from GitHub (no network here).

    pip install -e '.[dev,bench]'
    python bench/pii.py --limit 2000 --labelled 300      # a quick run
    python bench/pii.py                                  # the whole corpus

The last line printed is one JSON object of figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import lzma
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

from bigscience_corpus.processing.pii import TYPES, find_pii, redact
from bigscience_corpus.processing.pii.evaluate import Score, score
from bigscience_corpus.processing.pii.regions import region_for

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "bench" / "doc_corpus.jsonl.xz"
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

Detector = Callable[[str, str | None], list[Sequence]]


def load_generator():
    """tests/fixtures/make_pii_testset.py as a module: the same PII and look-alike generators as the tests."""
    spec = importlib.util.spec_from_file_location("make_pii_testset", REPO_ROOT / "tests/fixtures/make_pii_testset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_texts(path: str, limit: int | None) -> list[str]:
    texts = []
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(texts) >= limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


def labelled_set(texts: list[str], n: int, seed: int = 5) -> list[dict]:
    gen = load_generator()
    rng = random.Random(seed)
    spaced = [(lang, region) for lang, region in gen.LANGUAGES.values() if lang not in gen.UNSPACED]
    types = list(gen.GENERATORS)
    docs = []
    for i, text in enumerate(texts[:n]):
        cjk = len(_CJK.findall(text)) > 0.3 * len(text)
        lang, region = ("zh", "CN") if cjk else spaced[i % len(spaced)]
        points = gen.insertion_points(text, cjk)
        if len(points) < 6:
            continue
        chosen = [types[(i * 3 + k) % len(types)] for k in range(3)]
        docs.append(gen.document(rng, text, lang, region, chosen))
    return docs


# --- detectors: each returns [start, end, type] spans -------------------------------------------------------

def ours(text: str, lang: str | None) -> list[Sequence]:
    return find_pii(text, TYPES, region_for(lang))


def datatrove_detector():
    from datatrove.pipeline.formatters import PIIFormatter

    formatter = PIIFormatter()

    def detect(text: str, lang: str | None) -> list[Sequence]:
        # The formatter's own regexes and validator, read for offsets (its `format` only returns new text).
        spans = [[m.start(), m.end(), "EMAIL"] for m in formatter.emails_replacer.regex.finditer(text)]
        validator = formatter.ip_replacer.validator
        spans += [[m.start(), m.end(), "IP_ADDRESS"] for m in formatter.ip_replacer.regex.finditer(text)
                  if validator(m.group())]
        return spans

    return formatter.format, detect


def scrubadub_detector():
    import scrubadub

    scrubber = scrubadub.Scrubber()

    def detect(text: str, lang: str | None) -> list[Sequence]:
        return [[f.beg, f.end, f.type] for f in scrubber.iter_filth(text)]

    return scrubber.clean, detect


# --- measurements ---------------------------------------------------------------------------------------------

def throughput(work: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    for text in texts:
        work(text)
    seconds = time.perf_counter() - start
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return {"docs": len(texts), "seconds": round(seconds, 2), "docs_per_s": round(len(texts) / seconds, 1),
            "mb_per_s": round(mb / seconds, 3)}


def quality(detect: Detector, docs: list[dict]) -> tuple[Score, Counter]:
    """Overlap-scored quality on inserted values, plus detections in the untouched corpus text, per type."""
    predictions, background = [], Counter()
    for doc in docs:
        spans = [list(s) for s in detect(doc["text"], doc["lang"])]
        inserted = doc["spans"] + doc["lookalikes"]
        touching = [s for s in spans if any(s[0] < e and b < s[1] for b, e, _ in inserted)]
        background.update(s[2] for s in spans if s not in touching)
        predictions.append(touching)
    return score(docs, predictions, exact=False), background


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", default=str(DEFAULT_INPUT), help="JSON lines (.xz) with `text`")
    ap.add_argument("--limit", type=int, default=None, help="documents for throughput (default: all)")
    ap.add_argument("--scrubadub-limit", type=int, default=1000, help="documents for scrubadub's throughput")
    ap.add_argument("--labelled", type=int, default=1000, help="corpus documents to insert PII into")
    args = ap.parse_args()

    texts = read_texts(args.input, args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{len(texts)} documents, {mb:.1f} MB from {args.input}")

    dt_format, dt_detect = datatrove_detector()
    sd_clean, sd_detect = scrubadub_detector()
    speed = {
        "ours_find": throughput(lambda t: find_pii(t), texts),
        "ours_redact": throughput(lambda t: redact(t, find_pii(t)), texts),
        "datatrove": throughput(dt_format, texts),
        "scrubadub": throughput(sd_clean, texts[:args.scrubadub_limit]),
    }
    for name, figures in speed.items():
        print(f"{name:12s} {figures}")
    print(f"speed ratio ours_redact / datatrove: {speed['ours_redact']['mb_per_s'] / speed['datatrove']['mb_per_s']:.2f}, "
          f"ours_redact / scrubadub: {speed['ours_redact']['mb_per_s'] / speed['scrubadub']['mb_per_s']:.2f}")

    docs = labelled_set(texts if len(texts) >= args.labelled else read_texts(args.input, args.labelled),
                        args.labelled)
    print(f"labelled set: {len(docs)} documents, {sum(len(d['spans']) for d in docs)} PII values, "
          f"{sum(len(d['lookalikes']) for d in docs)} look-alikes")
    results = {}
    for name, detect in (("ours", ours), ("datatrove", dt_detect), ("scrubadub", sd_detect)):
        result, background = quality(detect, docs)
        results[name] = result
        print(f"{name:10s} recall {result.recall():.3f} precision {result.precision():.3f}  "
              f"recall per type {result.per_type()}")
        print(f"{'':10s} false on look-alikes {dict(result.false)}; detections in unlabelled corpus text "
              f"{dict(background)}")
    exact = score(docs, [[list(s) for s in ours(d["text"], d["lang"])] for d in docs])
    print(f"ours, exact offsets and type: recall {exact.recall():.3f} per type {exact.per_type()}")

    print(json.dumps({
        "docs": len(texts), "mb": round(mb, 2),
        "docs_per_s_per_core": speed["ours_redact"]["docs_per_s"],
        "mb_per_s_per_core": speed["ours_redact"]["mb_per_s"],
        "find_mb_per_s_per_core": speed["ours_find"]["mb_per_s"],
        "peer_mb_per_s_per_core": speed["datatrove"]["mb_per_s"],
        "scrubadub_mb_per_s_per_core": speed["scrubadub"]["mb_per_s"],
        "recall": round(results["ours"].recall(), 4), "precision": round(results["ours"].precision(), 4),
        "exact_recall": round(exact.recall(), 4),
        "recall_per_type": results["ours"].per_type(),
        "peer": "datatrove PIIFormatter",
        "peer_recall": round(results["datatrove"].recall(), 4),
        "peer_precision": round(results["datatrove"].precision(), 4),
        "peer_recall_per_type": results["datatrove"].per_type(),
        "scrubadub_recall": round(results["scrubadub"].recall(), 4),
        "scrubadub_precision": round(results["scrubadub"].precision(), 4),
        "labelled_docs": len(docs),
    }))


if __name__ == "__main__":
    main()
