"""`bigscience-corpus build [RECIPE]`: build a corpus folder in the Hub layout and print its summary."""
from __future__ import annotations

import argparse
from typing import Any

from ..corpus_card import language_table, source_table
from ..build_report import report_dir
from ..pipeline import BuildResult, build_corpus
from ..recipe import load_recipe


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("build", help="build a corpus from a recipe (default: the embedded demo recipe)",
                              description=__doc__)
    p.add_argument("recipe", nargs="?", default=None,
                   help="recipe YAML file, or the name of an embedded recipe (default: demo)")
    p.add_argument("--out", default="out", help="folder under which <corpus-name>/ is written (default: ./out)")
    p.add_argument("--cache-dir", default=None, help="datasets cache folder for the sources (default: HF cache)")
    p.add_argument("--num-proc", type=int, default=None, help="worker processes for loaders and steps")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = build_corpus(load_recipe(args.recipe), args.out, cache_dir=args.cache_dir, num_proc=args.num_proc)
    print(summary(result))
    return 0


def format_table(header: list[str], rows: list[list[Any]]) -> str:
    """A plain aligned text table for the terminal."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(_is_number(row[i]) for row in cells[1:]) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_number(cell: str) -> bool:
    return cell.rstrip("%").replace(".", "", 1).isdigit()


def summary(result: BuildResult) -> str:
    """One screen: where the corpus went, documents/bytes/words per language and source, what was dropped."""
    lines = [f"Corpus {result.recipe.name!r} written to {result.out_dir}/",
             f"  samples of what was dropped or skipped, to review: {report_dir(result.out_dir.parent, result.recipe.name)}/",
             f"  load it with: datasets.load_dataset({str(result.out_dir)!r}, 'fr')  (or no config for all languages)",
             "", format_table(*source_table(result)), ""]
    for s in result.sources:
        for reason, count in sorted(s.skips.counts.items()):
            lines.append(f"  skipped  {s.name}: {count} × {reason}")
        for step, count in s.dropped.most_common():
            lines.append(f"  dropped  {s.name}: {count} by {step} (e.g. {s.drop_samples[step][0]['reason']})")
        for lang, counts in sorted(s.pii.items()):
            lines.append(f"  pii      {s.name} ({lang}): " + ", ".join(f"{n} {t}" for t, n in sorted(counts.items())))
        for step, count in s.flagged.most_common():
            lines.append(f"  flagged  {s.name}: {count} by {step} (annotate mode: kept)")
    for name, report in result.dedup.items():
        lines.append(f"  dedup    {name}: {report.get('removed', 0)} removed")
    lines += ["", format_table(*language_table(result))]
    return "\n".join(lines)
