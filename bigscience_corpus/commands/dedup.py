"""`bigscience-corpus dedup FILES... --out DIR`: run dedup stages on any JSONL / parquet files with `id` and `text`.

Writes the kept documents (`documents.parquet`), `clusters.parquet` (`id`, `cluster` = id of the document kept in
its place, `kept`; null cluster for documents dropped by `template_lines`) and `report.json`.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import UserError
from ..processing.dedup import GROUPINGS, STAGES, keep
from .load import parse_options

_FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}
_COMPRESSION = (".gz", ".xz", ".bz2", ".zst")
#: Dropped by a stage that is not a grouping (no cluster to point at).
_DROPPED = -2


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("dedup", help="deduplicate JSONL / parquet files (exact, url, template lines, minhash)",
                              description=__doc__)
    p.add_argument("files", nargs="+", metavar="FILE", help="JSONL (optionally .gz/.xz/.bz2/.zst) or parquet files")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--stage", action="append", choices=list(STAGES), default=None,
                   help="a stage to run, in order (repeatable; default: exact then minhash)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="STAGE.KEY=VALUE",
                   help="a stage parameter (value parsed as YAML), e.g. -p minhash.threshold=0.8")
    p.add_argument("--priority", nargs="+", default=None, metavar="SOURCE",
                   help="sources in keep order (default: order of first appearance)")
    p.add_argument("--cache-dir", default=None, help="datasets cache folder (default: HF cache)")
    p.add_argument("--num-proc", type=int, default=None, help="worker processes")
    p.set_defaults(func=run)


def read_documents(files: list[str], cache_dir: str | None = None) -> datasets.Dataset:
    """Documents from JSONL / parquet files; `source` defaults to the file name, `lang` and `url` to null."""
    parts = []
    for name in files:
        path = Path(name)
        suffix = path.suffixes[-2] if path.suffix in _COMPRESSION and len(path.suffixes) > 1 else path.suffix
        if suffix not in _FORMATS:
            raise UserError("not a .jsonl or .parquet file", name)
        if not path.is_file():
            raise UserError("no such file", name)
        if path.stat().st_size == 0:
            continue
        try:
            ds = datasets.load_dataset(_FORMATS[suffix], data_files=str(path), split="train", cache_dir=cache_dir)
        except Exception as err:  # malformed JSON, undecodable bytes, corrupt parquet: the user's file
            raise UserError(f"cannot read: {(str(err) or type(err).__name__).splitlines()[0][:200]}", name) from None
        missing = {"id", "text"} - set(ds.column_names)
        if missing:
            raise UserError(f"missing column(s) {sorted(missing)}", name)
        # Through `map` (written to the cache, memory-mapped) rather than an in-memory table: inputs may exceed RAM.
        parts.append(ds.with_format("arrow").map(_standardise, batched=True, remove_columns=ds.column_names, features=_FEATURES,
                            fn_kwargs={"source": path.name.split(".")[0]}, desc=f"reading {path.name}").with_format(None))
    if not parts:
        raise UserError("no documents in the input files")
    return datasets.concatenate_datasets(parts)


_FEATURES = datasets.Features({c: datasets.Value("string") for c in ("id", "text", "source", "lang", "url")})


def _standardise(batch: pa.Table, source: str) -> dict[str, list]:
    """Document columns as strings; bytes that are not UTF-8 (the JSON reader lets them through) become U+FFFD."""
    def strings(name: str, default: str | None = None) -> list[str | None]:
        if name not in batch.column_names:
            return [default] * batch.num_rows
        column = batch.column(name).combine_chunks()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = column.view(pa.binary() if pa.types.is_string(column.type) else pa.large_binary())
            return [default if v is None else v.decode("utf-8", "replace") for v in column.to_pylist()]
        return [default if v is None else str(v) for v in column.to_pylist()]

    return {"id": strings("id"), "text": strings("text"), "source": strings("source", source),
            "lang": strings("lang"), "url": strings("url")}


def parse_params(pairs: list[str], stages: list[str]) -> dict[str, dict[str, Any]]:
    params: dict[str, dict[str, Any]] = {s: {} for s in stages}
    for key, value in parse_options(pairs).items():
        stage, _, name = key.partition(".")
        if stage not in params or not name:
            raise UserError(f"parameter {key!r} is not STAGE.KEY for a selected stage ({', '.join(stages)})")
        params[stage][name] = value
    return params


def run(args: argparse.Namespace) -> int:
    stages = args.stage or ["exact", "minhash"]
    params = parse_params(args.param, stages)
    ds = read_documents(args.files, args.cache_dir)
    ids = keep.column(ds, "id").combine_chunks()
    ds = ds.add_column("_row", np.arange(len(ds)))
    priority = args.priority or pc.unique(keep.column(ds, "source")).to_pylist()  # first-appearance order
    parent = np.full(len(ds), -1, dtype=np.int64)  # row that replaced each removed row
    reports = {}
    for name in stages:
        rows = keep.column(ds, "_row").to_numpy()
        try:
            if name in GROUPINGS:
                rep, figures = GROUPINGS[name](ds, priority, args.num_proc, **params[name])
                removed = rep != np.arange(len(rep))
                parent[rows[removed]] = rows[rep[removed]]
                ds, report = keep.apply(rep, ds)
                reports[name] = {**report, **figures}
            else:
                ds, reports[name] = STAGES[name](ds, priority, args.num_proc, **params[name])
                parent[np.setdiff1d(rows, keep.column(ds, "_row").to_numpy())] = _DROPPED
        except ValueError as err:
            raise UserError(str(err), f"stage {name}") from None
        print(f"{name}: removed {reports[name]['removed']}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ds.remove_columns("_row").to_parquet(str(out / "documents.parquet"))
    pq.write_table(pa.table({"id": ids, "cluster": cluster_ids(parent, ids), "kept": parent == -1}),
                   out / "clusters.parquet")
    (out / "report.json").write_text(json.dumps(reports, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(ds)} of {len(parent)} documents kept -> {out / 'documents.parquet'}")
    return 0


def cluster_ids(parent: np.ndarray, ids: pa.Array) -> pa.Array:
    """Id of the document each row finally stands for: follow replacements until a kept document."""
    final = np.where(parent == -1, np.arange(len(parent)), parent)
    dropped = parent == _DROPPED
    final[dropped] = np.flatnonzero(dropped)
    while True:
        jumped = final[final]
        if np.array_equal(jumped, final):
            break
        final = jumped
    return pa.array(ids.take(pa.array(final)).to_pylist(), pa.string(), mask=dropped)
