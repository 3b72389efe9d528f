"""MinHash near-dedup: this project's `minhash` stage against datatrove's MinHash pipeline, same corpus, same
shingle size (5 words), bands (14) and rows (8).

Each tool runs in its own subprocess (peak RSS is the subprocess's, workers included), reading the same JSONL
file and writing the kept documents. Quality is measured on the shared bench corpus's labelled near-duplicates
(`doc_corpus.dup_pairs.json`, 2-8% word edits):
- recall: labelled pairs (both documents in the run) that end up in one cluster;
- precision: predicted pairs (each cluster member with the cluster's first id) that are labelled, or whose true
  Jaccard similarity of word 5-gram sets (computed here with plain Python sets, independent of both tools) is at
  least 0.5 — the corpus also holds natural near-duplicates (one paragraph in several manuals).

    pip install -e '.[bench]'
    python bench/dedup.py --limit 3000     # a quick run
    python bench/dedup.py                  # the whole corpus (28,701 documents)

The last line printed is one JSON object of figures.
"""
from __future__ import annotations

import argparse
import gzip
import json
import lzma
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from itertools import islice
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "bench" / "doc_corpus.jsonl.xz"
NGRAM, BANDS, ROWS = 5, 14, 8
#: True Jaccard at or above which a predicted pair counts as a real near-duplicate.
TRUE_JACCARD = 0.5


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its (finished) workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_ours(data: Path, work: Path, workers: int) -> list[list[str]]:
    import datasets

    from bigscience_corpus.commands.dedup import read_documents
    from bigscience_corpus.processing.dedup import GROUPINGS, keep

    datasets.disable_progress_bars()
    ds = read_documents([str(data)], cache_dir=str(work / "cache"))
    rep, _ = GROUPINGS["minhash"](ds, [], workers, ngram=NGRAM, bands=BANDS, rows=ROWS, work_dir=str(work))
    kept, _ = keep.apply(rep, ds)
    kept.to_parquet(str(work / "kept.parquet"))
    ids = keep.column(ds, "id").to_pylist()
    clusters: dict[int, list[str]] = {}
    for row, r in enumerate(rep.tolist()):
        clusters.setdefault(r, []).append(ids[row])
    return [c for c in clusters.values() if len(c) > 1]


def run_peer(data: Path, work: Path, workers: int) -> list[list[str]]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    config = MinhashConfig(n_grams=NGRAM, num_buckets=BANDS, hashes_per_bucket=ROWS)
    reader = JsonlReader(str(data.parent), glob_pattern=data.name)
    stages = [
        ([reader, MinhashDedupSignature(output_folder=str(work / "sigs"), config=config)], 1),
        ([MinhashDedupBuckets(input_folder=str(work / "sigs"), output_folder=str(work / "buckets"), config=config)],
         BANDS),
        ([MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove"), config=config,
                              save_cluster_id=True)], 1),
        ([reader, MinhashDedupFilter(input_folder=str(work / "remove"), load_cluster_ids=True,
                                     exclusion_writer=JsonlWriter(str(work / "removed"))),
          JsonlWriter(str(work / "kept"))], 1),
    ]
    for i, (pipeline, tasks) in enumerate(stages):
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks),
                              logging_dir=str(work / f"logs{i}")).run()
    clusters: dict[int, list[str]] = {}
    for path in sorted((work / "kept").glob("*.jsonl.gz")) + sorted((work / "removed").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                cluster = doc["metadata"].get("minhash_cluster_id", -1)
                if cluster != -1:
                    clusters.setdefault(cluster, []).append(doc["id"])
    return [c for c in clusters.values() if len(c) > 1]


def child(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    clusters = (run_ours if args.run == "ours" else run_peer)(Path(args.data), Path(args.work), args.workers)
    seconds = time.perf_counter() - start
    Path(args.result).write_text(json.dumps({"seconds": seconds, "clusters": clusters, "peak_rss_mb": peak_rss_mb()}))


def shingle_set(text: str) -> set:
    """Word 5-grams (character 5-grams for unspaced text), written independently of both tools."""
    text = unicodedata.normalize("NFKC", text).casefold()
    spaced = text.count(" ") >= len(text) / 50
    tokens = re.findall(r"\w+", text) if spaced else list(re.sub(r"[\W_]+", "", text))
    return {tuple(tokens[i:i + NGRAM]) for i in range(max(1, len(tokens) - NGRAM + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def score(clusters: list[list[str]], truth: set[frozenset], texts: dict[str, str]) -> dict[str, float]:
    cluster_of = {doc: i for i, members in enumerate(clusters) for doc in members}
    found = sum(1 for pair in truth if len({cluster_of.get(d, d) for d in pair}) == 1)
    predicted = [(min(c), d) for c in clusters for d in c if d != min(c)]
    shingles: dict[str, set] = {}

    def sh(doc: str) -> set:
        if doc not in shingles:
            shingles[doc] = shingle_set(texts[doc])
        return shingles[doc]

    correct = sum(1 for a, b in predicted
                  if frozenset((a, b)) in truth or jaccard(sh(a), sh(b)) >= TRUE_JACCARD)
    return {"recall": found / len(truth) if truth else 1.0,
            "precision": correct / len(predicted) if predicted else 1.0, "predicted_pairs": len(predicted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="JSONL(.xz) documents with id and text")
    parser.add_argument("--pairs", default=None, help="labelled pairs JSON (default: <input>.dup_pairs.json)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--workers", type=int, default=1, help="worker processes for each tool")
    parser.add_argument("--run", choices=["ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return child(args)

    source = Path(args.input)
    pairs_path = Path(args.pairs) if args.pairs else source.with_name(source.name.split(".")[0] + ".dup_pairs.json")
    opener = lzma.open if source.suffix == ".xz" else open
    with opener(source, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in islice(f, args.limit)]
    texts = {d["id"]: d["text"] for d in docs}
    truth = {frozenset(p) for p in json.loads(pairs_path.read_text()) if p[0] in texts and p[1] in texts}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        data = Path(tmp) / "docs.jsonl"
        with data.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "text": d["text"], "source": d.get("source")},
                                   ensure_ascii=False) + "\n")
        for tool in ("ours", "peer"):
            work = Path(tmp) / tool
            work.mkdir()
            result = work / "result.json"
            run = subprocess.run([sys.executable, __file__, "--run", tool, "--data", str(data), "--work", str(work),
                                  "--result", str(result), "--workers", str(args.workers)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if run.returncode:
                sys.exit(f"{tool} failed:\n{run.stderr[-3000:]}")
            results[tool] = json.loads(result.read_text())
            results[tool].update(score(results[tool].pop("clusters"), truth, texts))
            r = results[tool]
            print(f"{tool:>5}: {len(docs) / r['seconds']:8.0f} docs/s  {r['seconds']:7.1f} s  "
                  f"precision {r['precision']:.3f}  recall {r['recall']:.3f}  ({r['predicted_pairs']} pairs)  "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB")
    ours, peer = results["ours"], results["peer"]
    speedup = peer["seconds"] / ours["seconds"]
    print(f"speedup {speedup:.2f}x, recall {ours['recall']:.3f} vs {peer['recall']:.3f}, "
          f"memory {ours['peak_rss_mb'] / peer['peak_rss_mb']:.2f}x of datatrove's "
          f"({len(truth)} labelled pairs in {len(docs)} documents)")
    print(json.dumps({"docs": len(docs), "labelled_pairs": len(truth), "workers": args.workers,
                      "docs_per_s": round(len(docs) / ours["seconds"], 1),
                      "peer_docs_per_s": round(len(docs) / peer["seconds"], 1), "speedup": round(speedup, 3),
                      "precision": round(ours["precision"], 4), "recall": round(ours["recall"], 4),
                      "peer_precision": round(peer["precision"], 4), "peer_recall": round(peer["recall"], 4),
                      "predicted_pairs": ours["predicted_pairs"], "peer_predicted_pairs": peer["predicted_pairs"],
                      "peak_rss_mb": round(ours["peak_rss_mb"], 1), "peer_peak_rss_mb": round(peer["peak_rss_mb"], 1)}))


if __name__ == "__main__":
    main()
