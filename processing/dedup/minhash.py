"""MinHash LSH near-duplicate detection across sources, with signatures and band buckets streamed to disk.

Signatures follow datasketch's permutation scheme (`((a * h + b) mod (2^61 - 1)) & (2^32 - 1)` over 32-bit
shingle hashes, `a, b` drawn from `RandomState(seed)`), vectorised per document with numpy. Shingles are word
n-grams, or character n-grams in unspaced scripts (Chinese, Japanese, Thai...). Digits are kept: normalising
them away merges distinct tables and logs. Candidate pairs from the band buckets are checked against the
signatures' estimated Jaccard similarity before clusters are formed by union-find, so a chance band collision
does not chain unrelated documents together.
"""
from __future__ import annotations

import functools
import re
import tempfile
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from ..base import Batch

DEFAULTS: dict[str, Any] = {"ngram": 5, "char_ngram": 5, "bands": 14, "rows": 8, "threshold": 0.5, "verify": True,
                            "seed": 1, "work_dir": None}

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: Languages written without spaces between words: shingled by characters.
CHAR_LANGUAGES = {"zh", "ja", "th", "lo", "km", "my", "bo"}
#: Shingles per vectorised block: bounds memory for a 50 MB single-line document.
_BLOCK = 4096
#: Rows per streamed chunk of signatures / band buckets.
_CHUNK = 65536
#: Documents per slice of a band's hash range sorted in memory at once (16 bytes each, plus the sort).
PARTITION_ROWS = 1 << 22


@functools.lru_cache(maxsize=4)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The `a` and `b` of each permutation, drawn as datasketch draws them."""
    gen = np.random.RandomState(seed)
    pairs = [(gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64))
             for _ in range(num_perm)]
    a, b = np.array(pairs, dtype=np.uint64).T
    return a, b


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads the bits of a polynomial combination over the whole word."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def uses_chars(text: str, lang: str | None) -> bool:
    """Character shingles for unspaced scripts: by language code, else by a text with almost no spaces."""
    if lang:
        return re.split(r"[-_]", lang)[0].lower() in CHAR_LANGUAGES
    return len(text) >= 20 and text.count(" ") < len(text) / 50


def tokens(text: str, chars: bool) -> np.ndarray:
    """Stable 32-bit token hashes (code points for characters, CRC-32 for words) of the normalised text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if chars:
        return np.frombuffer(_NOT_WORD.sub("", text).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    words = _WORD.findall(text)
    return np.fromiter((zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words), dtype=np.uint32,
                       count=len(words))


def shingles(toks: np.ndarray, n: int) -> np.ndarray:
    """Distinct 32-bit hashes of the token n-grams (one shingle of everything when the text is shorter)."""
    if not len(toks):
        return np.empty(0, dtype=np.uint64)
    n = min(n, len(toks))
    count = len(toks) - n + 1
    toks = toks.astype(np.uint64)
    h = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        h = h * np.uint64(0x100000001B3) + toks[k:k + count]
    return np.unique(_mix64(h) >> np.uint64(32))


def signature(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signature (uint32 per permutation) of shingle hashes."""
    sig = np.full(len(a), _MAX32, dtype=np.uint64)
    for start in range(0, len(hashes), _BLOCK):
        block = hashes[start:start + _BLOCK, None]
        sig = np.minimum(sig, (((block * a + b) % _MERSENNE) & _MAX32).min(axis=0))
    return sig.astype(np.uint32)


def _signatures(batch: Batch, ngram: int, char_ngram: int, num_perm: int, seed: int) -> Batch:
    a, b = permutations(num_perm, seed)
    langs = batch.get("lang") or [None] * len(batch["text"])
    sigs = []
    for text, lang in zip(batch["text"], langs):
        chars = uses_chars(text or "", lang)
        hashes = shingles(tokens(text or "", chars), char_ngram if chars else ngram)
        sigs.append(signature(hashes, a, b) if len(hashes) else np.empty(0, dtype=np.uint32))
    return {"sig": sigs}


def band_hashes(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 per (document, band) from the band's `rows` signature values."""
    parts = sigs[:, :bands * rows].reshape(len(sigs), bands, rows).astype(np.uint64)
    h = np.zeros(parts.shape[:2], dtype=np.uint64)
    for k in range(rows):
        h = _mix64(h * np.uint64(0x100000001B3) + parts[:, :, k])
    return h


def _matrix(chunk: pa.ChunkedArray | pa.Array, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows that have a signature (positions in `chunk`) and their signatures as an (n, num_perm) matrix."""
    chunk = chunk.combine_chunks() if isinstance(chunk, pa.ChunkedArray) else chunk
    has = np.diff(chunk.offsets.to_numpy()) == num_perm
    values = chunk.flatten().to_numpy(zero_copy_only=False)
    return np.flatnonzero(has), values.reshape(-1, num_perm)


def _write_buckets(sigs: pa.ChunkedArray, bands: int, rows: int, work: Path) -> list[Path]:
    """Stream (band hash, row) pairs to one parquet file per band."""
    paths = [work / f"band_{j:03d}.parquet" for j in range(bands)]
    schema = pa.schema([("hash", pa.uint64()), ("row", pa.int64())])
    writers = [pq.ParquetWriter(p, schema) for p in paths]
    try:
        for start in tqdm(range(0, len(sigs), _CHUNK), desc="minhash: band buckets", leave=False):
            present, matrix = _matrix(sigs.slice(start, _CHUNK), bands * rows)
            hashes = band_hashes(matrix, bands, rows)
            for j, writer in enumerate(writers):
                writer.write_table(pa.table({"hash": hashes[:, j], "row": present + start}, schema=schema))
    finally:
        for writer in writers:
            writer.close()
    return paths


def _candidates(path: Path, partitions: int) -> np.ndarray:
    """(first row of bucket, other row) for every bucket of one band with more than one document.

    The band is read one slice of its hash range at a time: a bucket never spans two slices."""
    found = [np.empty((0, 2), dtype=np.int64)]
    for k in range(partitions):
        bounds = pc.field("hash") >= pa.scalar((k << 64) // partitions, pa.uint64())
        if k + 1 < partitions:
            bounds &= pc.field("hash") < pa.scalar(((k + 1) << 64) // partitions, pa.uint64())
        table = pq.read_table(path, filters=bounds if partitions > 1 else None)
        hashes, rows = table.column("hash").to_numpy(), table.column("row").to_numpy()
        order = np.lexsort((rows, hashes))
        hashes, rows = hashes[order], rows[order]
        starts = np.ones(len(rows), dtype=bool)
        starts[1:] = hashes[1:] != hashes[:-1]
        first = rows[np.maximum.accumulate(np.where(starts, np.arange(len(rows)), 0))]
        found.append(np.stack([first[~starts], rows[~starts]], axis=1))
    return np.unique(np.concatenate(found), axis=0)


def _similar(pairs: np.ndarray, sigs: pa.ChunkedArray, num_perm: int, threshold: float) -> np.ndarray:
    """The pairs whose signatures agree on at least `threshold` of the permutations."""
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), _CHUNK):
        part = pairs[start:start + _CHUNK]
        _, left = _matrix(sigs.take(part[:, 0]), num_perm)
        _, right = _matrix(sigs.take(part[:, 1]), num_perm)
        keep[start:start + len(part)] = (left == right).mean(axis=1) >= threshold
    return pairs[keep]


def connected_components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Union-find over `pairs`, vectorised: each row's label is the smallest row of its component."""
    labels = np.arange(n, dtype=np.int64)
    if not len(pairs):
        return labels
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        la, lb = labels[a], labels[b]
        differ = la != lb
        if not differ.any():
            return labels
        np.minimum.at(labels, np.maximum(la, lb)[differ], np.minimum(la, lb)[differ])
        while True:  # pointer jumping until every row points at its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped


def check_params(params: dict[str, Any]) -> dict[str, Any]:
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"dedup stage 'minhash': unknown parameter(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **params}
    for key in ("ngram", "char_ngram", "bands", "rows"):
        if not isinstance(p[key], int) or p[key] < 1:
            raise ValueError(f"dedup stage 'minhash': {key} must be a positive integer, not {p[key]!r}")
    return p


def clusters(ds: datasets.Dataset, num_proc: int | None = None, **params: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Cluster label per row (the smallest row of its near-duplicate cluster) and figures for the report."""
    p = check_params(params)
    num_perm = p["bands"] * p["rows"]
    n = len(ds)
    with tempfile.TemporaryDirectory(dir=p["work_dir"], prefix="minhash-") as tmp:
        work = Path(tmp)
        columns = [c for c in ("text", "lang") if c in ds.column_names]
        sig_ds = ds.select_columns(columns).map(
            _signatures, batched=True, batch_size=256, num_proc=num_proc, remove_columns=columns,
            fn_kwargs={"ngram": p["ngram"], "char_ngram": p["char_ngram"], "num_perm": num_perm, "seed": p["seed"]},
            features=datasets.Features({"sig": datasets.Sequence(datasets.Value("uint32"))}),
            cache_file_name=str(work / "signatures.arrow"), desc="minhash: signatures")
        sigs = sig_ds.data.table.column("sig")
        partitions = -(-n // PARTITION_ROWS)
        pairs = np.unique(np.concatenate([_candidates(path, partitions)
                                          for path in _write_buckets(sigs, p["bands"], p["rows"], work)]), axis=0)
        candidates = len(pairs)
        if p["verify"] and len(pairs):
            pairs = _similar(pairs, sigs, num_perm, p["threshold"])
        no_text = int(pc.sum(pc.equal(pc.list_value_length(sigs), 0)).as_py() or 0)
        del sig_ds, sigs
    labels = connected_components(n, pairs)
    return labels, {"candidate_pairs": candidates, "similar_pairs": int(len(pairs)), "without_shingles": no_text,
                    "params": {k: v for k, v in p.items() if k != "work_dir"}}
