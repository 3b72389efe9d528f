"""`bigscience-corpus load SOURCE --data-files PATH... --out DIR`: run one loader on your own files."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from ..catalogue import build_source
from ..errors import UserError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("load", help="run one source's loader and write its documents as parquet",
                              description=__doc__)
    p.add_argument("source", help="catalogue id (see `bigscience-corpus sources list`)")
    p.add_argument("--data-files", nargs="+", default=None, metavar="PATH", help="input files or globs")
    p.add_argument("-o", "--option", action="append", default=[], metavar="KEY=VALUE",
                   help="a loader option (value parsed as YAML, e.g. -o lang=fr -o languages=[yo,sw])")
    p.add_argument("--out", required=True, help="output folder: documents.parquet and skipped.json")
    p.add_argument("--cache-dir", default=None, help="datasets cache folder (default: HF cache)")
    p.add_argument("--num-proc", type=int, default=None, help="worker processes")
    p.set_defaults(func=run)


def parse_options(pairs: list[str]) -> dict[str, Any]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"option {pair!r} is not KEY=VALUE")
        options[key] = yaml.safe_load(value)
    return options


def run(args: argparse.Namespace) -> int:
    options = parse_options(args.option)
    if args.data_files:
        options["data_files"] = args.data_files
    built = build_source(args.source, options, cache_dir=args.cache_dir, num_proc=args.num_proc)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    built.dataset.to_parquet(str(out / "documents.parquet"))
    (out / "skipped.json").write_text(json.dumps(built.skips.to_dict(), indent=1, ensure_ascii=False) + "\n")
    print(f"{len(built.dataset)} documents -> {out / 'documents.parquet'}")
    print(f"{built.skips.total} skipped" + (":" if built.skips.total else ""))
    for reason, count in sorted(built.skips.counts.items()):
        print(f"  {count:>8}  {reason}  (e.g. {', '.join(built.skips.samples.get(reason, [])[:2])})")
    return 0
