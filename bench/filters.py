"""Benchmark: this project's Gopher filters against datatrove's, and the full ROOTS filter set.

One run on the same documents: decisions of `gopher_repetition` + `gopher_quality` against datatrove's
`GopherRepetitionFilter` + `GopherQualityFilter` (English settings, as datatrove defaults), their throughput
ratio, and the ROOTS filters' docs/s and MB/s per core. Peers: `pip install -e ".[bench]"`.
The last line printed is one JSON object of figures.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import time
from pathlib import Path

from bigscience_corpus.processing import ROOTS_FILTERS, build_step

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "../shared/bench/doc_corpus.jsonl.xz"
BATCH = 1000


def read_docs(path: Path, limit: int | None) -> list[dict]:
    docs = []
    with lzma.open(path, "rt", encoding="utf-8") if path.suffix == ".xz" else open(path, encoding="utf-8") as f:
        for line in f:
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def ours_gopher(texts: list[str]) -> tuple[list[bool], float]:
    steps = [build_step("gopher_repetition"), build_step("gopher_quality")]
    start = time.process_time()
    keep: list[bool] = []
    for i in range(0, len(texts), BATCH):
        batch = {"text": texts[i:i + BATCH]}
        for step in steps:
            batch = step(batch)
        keep.extend(reason is None for reason in batch["drop_reason"])
    return keep, time.process_time() - start


def datatrove_gopher(texts: list[str]) -> tuple[list[bool], float]:
    from datatrove.data import Document
    from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter

    filters = [GopherRepetitionFilter(), GopherQualityFilter()]
    GopherRepetitionFilter().filter(Document(text="warm up the tokenizer", id="0"))
    start = time.process_time()
    keep = []
    for i, text in enumerate(texts):
        doc = Document(text=text, id=str(i))
        keep.append(all(_passes(f.filter(doc)) for f in filters))
    return keep, time.process_time() - start


def _passes(result) -> bool:
    return result is True or (isinstance(result, tuple) and result[0])


def roots_throughput(texts: list[str], langs: list[str]) -> tuple[float, dict[str, int]]:
    steps = [build_step(name) for name in ROOTS_FILTERS]
    start = time.process_time()
    drops: dict[str, int] = {}
    for i in range(0, len(texts), BATCH):
        batch = {"text": texts[i:i + BATCH], "lang": langs[i:i + BATCH]}
        for step in steps:
            batch = step(batch)
        for reason in batch["drop_reason"]:
            if reason:
                drops[reason.split(":")[0]] = drops.get(reason.split(":")[0], 0) + 1
    return time.process_time() - start, drops


def lang_of(doc_id: str) -> str:
    """`handbook__pt-BR/12` -> `pt`; `gnomehelp__C/3` (GNOME's untranslated source) -> `en`."""
    code = doc_id.split("__")[-1].split("/")[0].replace("_", "-").split("-")[0].lower()
    return "en" if code == "c" else code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = ap.parse_args(argv)
    docs = read_docs(args.input, args.limit)
    texts = [d["text"] for d in docs]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    # CPU time of this process: one core, whatever else shares the machine.
    ours, ours_s = ours_gopher(texts)
    theirs, theirs_s = datatrove_gopher(texts)
    agree = sum(a == b for a, b in zip(ours, theirs)) / len(texts)
    disagreements = [(d["id"], a, b) for d, a, b in zip(docs, ours, theirs) if a != b]
    roots_s, drops = roots_throughput(texts, [lang_of(d["id"]) for d in docs])
    print(f"documents: {len(texts)} ({megabytes:.1f} MB)")
    print(f"gopher, this project: {len(texts) / ours_s:,.0f} docs/s per core, kept {sum(ours)}")
    print(f"gopher, datatrove:    {len(texts) / theirs_s:,.0f} docs/s per core, kept {sum(theirs)}")
    print(f"speedup: {theirs_s / ours_s:.1f}x; decisions agree on {agree:.2%} ({len(disagreements)} differ, "
          f"e.g. {disagreements[:3]})")
    print(f"ROOTS filters: {len(texts) / roots_s:,.0f} docs/s per core, {megabytes / roots_s:.2f} MB/s per core; "
          f"drops by filter: {drops}")
    print(json.dumps({"docs": len(texts), "megabytes": round(megabytes, 1), "agreement": round(agree, 4),
                      "speedup": round(theirs_s / ours_s, 2),
                      "ours_gopher_docs_per_s_per_core": round(len(texts) / ours_s, 1),
                      "datatrove_gopher_docs_per_s_per_core": round(len(texts) / theirs_s, 1),
                      "roots_docs_per_s_per_core": round(len(texts) / roots_s, 1),
                      "roots_mb_per_s_per_core": round(megabytes / roots_s, 3), "cpu_count": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
