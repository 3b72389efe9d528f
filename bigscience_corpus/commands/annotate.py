"""`bigscience-corpus annotate FILES... --out DIR`: language ID and every quality filter in annotate-only mode.

Writes one parquet file per input with the statistics, the predicted language and score, and each filter's
verdict (`flags`: the filters that would drop the document) - the data a curator needs to choose thresholds.
"""
from __future__ import annotations

import argparse
import gzip
import json
import lzma
from pathlib import Path
from typing import Iterator

from tqdm import tqdm

from ..errors import UserError

BATCH = 1000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("annotate", help="annotate JSONL/parquet files with language ID and filter statistics",
                              description=__doc__)
    p.add_argument("files", nargs="+", type=Path, help="JSONL (.jsonl, .jsonl.gz, .jsonl.xz) or parquet files "
                                                       "with a `text` column and an optional `lang` column")
    p.add_argument("--out", type=Path, required=True, help="directory for the annotated parquet files")
    p.add_argument("--filters", default=None,
                   help="comma-separated filter names (default: every registered filter)")
    p.add_argument("--lang", default=None,
                   help="language of documents without `lang` (default: the predicted language)")
    p.add_argument("--langid-model", default="lid.176",
                   help="fastText model: lid.176 (shipped), a file path, or a Hub id such as cis-lmu/glotlid")
    p.add_argument("--lines", action="store_true", help="also record the share of each language line by line")
    p.add_argument("--report", action="store_true",
                   help="also write histograms with thresholds and drop counts under OUT/report/")
    p.set_defaults(func=run)


def read_rows(path: Path, problems: dict[str, int]) -> Iterator[dict]:
    """Rows of a JSONL or parquet file; unreadable lines are counted in `problems`, never fatal."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
            yield from batch.to_pylist()
        return
    opener = {".gz": gzip.open, ".xz": lzma.open}.get(path.suffix, open)
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                problems["invalid JSON lines"] = problems.get("invalid JSON lines", 0) + 1
                continue
            if isinstance(row, dict):
                yield row
            else:
                problems["lines that are not objects"] = problems.get("lines that are not objects", 0) + 1


def _steps(args: argparse.Namespace) -> list:
    from ..processing import STEPS, Filter, build_step

    names = [n for n, cls in STEPS.items() if issubclass(cls, Filter)] if args.filters is None else \
        [n.strip() for n in args.filters.split(",") if n.strip()]
    unknown = [n for n in names if n not in STEPS or not issubclass(STEPS[n], Filter)]
    if unknown:
        raise UserError(f"unknown filter(s) {', '.join(unknown)}; known: "
                        f"{', '.join(sorted(n for n, c in STEPS.items() if issubclass(c, Filter)))}")
    langid = build_step({"name": "langid", "params": {"default": {"model": args.langid_model, "lines": args.lines,
                                                                  "set_lang": args.lang is None}}})
    filters = [build_step({"name": n, "mode": "annotate",
                           **({"params": {"default": {"model": args.langid_model}}} if n == "lang_id" else {})})
               for n in names]
    return [langid, *filters]


def annotate_batch(rows: list[dict], steps: list, default_lang: str | None, problems: dict[str, int]) -> dict:
    texts = []
    for row in rows:
        text = row.get("text")
        if not isinstance(text, str):
            problems["documents without text"] = problems.get("documents without text", 0) + 1
            text = "" if text is None else str(text)
        texts.append(text)
    batch = {"text": texts, "lang": [row.get("lang") or default_lang for row in rows]}
    if any("id" in row for row in rows):
        batch["id"] = [None if row.get("id") is None else str(row.get("id")) for row in rows]
    for step in steps:
        batch = step(batch)
    return batch


def run(args: argparse.Namespace) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise UserError(f"no such file: {', '.join(missing)}")
    steps = _steps(args)
    args.out.mkdir(parents=True, exist_ok=True)
    problems: dict[str, int] = {}
    tables = []
    for path in args.files:
        name = path.name.split(".")[0]
        writer, rows, total = None, [], 0
        target = args.out / f"{name}.parquet"
        try:
            for row in tqdm(read_rows(path, problems), desc=path.name, unit=" docs"):
                rows.append(row)
                if len(rows) == BATCH:
                    writer = _write(writer, target, annotate_batch(rows, steps, args.lang, problems), pa, pq)
                    total, rows = total + BATCH, []
            if rows or writer is None:
                writer = _write(writer, target, annotate_batch(rows, steps, args.lang, problems), pa, pq)
                total += len(rows)
        except (OSError, EOFError, lzma.LZMAError, pa.ArrowInvalid) as err:
            raise UserError(f"cannot read {path}: {err}") from err
        finally:
            if writer is not None:
                writer.close()
        print(f"{path} -> {target} ({total} documents)")
        if args.report:
            tables.append(pq.read_table(target))
    for what, count in problems.items():
        print(f"skipped or repaired: {count} {what}")
    if args.report and tables:
        from ..processing.filter_report import filter_report

        report = filter_report(pa.concat_tables(tables, promote_options="default"), steps[1:], args.out / "report")
        (args.out / "report" / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print(f"report: {args.out / 'report'}")
    return 0


def _write(writer, target: Path, batch: dict, pa, pq):
    """Append `batch` to `target`; a batch whose column types differ from the file's (a statistic that was all
    null in the first batch) starts a new part file beside it, `<name>.1.parquet`, ...."""
    table = pa.Table.from_pydict(batch)
    if writer is not None and table.schema != writer.schema:
        try:
            table = table.cast(writer.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
            writer.close()
            part = 1
            while (target.with_suffix(f".{part}.parquet")).exists():
                part += 1
            writer = pq.ParquetWriter(target.with_suffix(f".{part}.parquet"), table.schema)
    if writer is None:
        writer = pq.ParquetWriter(target, table.schema)
    writer.write_table(table)
    return writer
