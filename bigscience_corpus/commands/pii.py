"""`bigscience-corpus pii find|redact FILE.jsonl`: the PII detectors outside a recipe.

Input: JSON lines with `text` (and optional `lang`, which picks the phone-numbering region for national
numbers). `find` writes one line per input line, `{"spans": [[start, end, type], ...]}` in character offsets of
`text`, so the detectors can be scored on anyone's labelled data; `redact` writes each input object with its
`text` redacted. A line that cannot be read gives `{"error": ...}`, so output line N always answers input line N.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from contextlib import nullcontext
from typing import Any, TextIO

from tqdm.auto import tqdm

from ..errors import UserError
from ..io import READ_ERRORS, bounded_lines, open_binary
from ..processing.pii import TOKEN_STYLES, TYPES, find_pii, redact
from ..processing.pii.regions import region_for


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("pii", help="find or redact personal information in a JSON-lines file",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, help_text in (("find", "write the spans found in each line's text"),
                              ("redact", "write each line with the found spans replaced by tokens")):
        a = sub.add_parser(action, help=help_text)
        a.add_argument("file", help="JSON lines (.jsonl, optionally .gz/.bz2/.xz/.zst) with a `text` field")
        a.add_argument("--out", default=None, help="output file (default: standard output)")
        a.add_argument("--types", default=",".join(TYPES), help=f"comma-separated types (default: all: {','.join(TYPES)})")
        a.add_argument("--lang", default=None, help="language for lines without `lang` (e.g. fr, hi, pt-BR)")
        a.add_argument("--max-line-bytes", type=int, default=64 << 20, help="longer lines are skipped (default 64 MiB)")
        if action == "redact":
            a.add_argument("--token", default="roots",
                           help="'roots' (PI:EMAIL), 'angle' (<EMAIL>) or a format string with {type}")
        a.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    types = [t.strip().upper() for t in args.types.split(",") if t.strip()]
    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise UserError(f"unknown PII type(s) {unknown}; known: {', '.join(TYPES)}")
    token = TOKEN_STYLES.get(getattr(args, "token", "roots"), getattr(args, "token", None))
    if "{type}" not in token:
        raise UserError(f"--token {token!r} must be 'roots', 'angle' or contain {{type}}")
    try:
        stream = open_binary(args.file)
    except OSError as err:
        raise UserError(f"cannot open: {err.strerror or err}", args.file) from None
    counts: Counter[str] = Counter()
    with stream, (open(args.out, "w", encoding="utf-8") if args.out else nullcontext(sys.stdout)) as out:
        try:
            for number, line in tqdm(bounded_lines(stream, args.max_line_bytes), desc=f"pii {args.action}",
                                     unit=" lines", disable=None):
                out.write(json.dumps(answer(line, args, types, token, counts), ensure_ascii=False) + "\n")
        except READ_ERRORS as err:
            raise UserError(f"input is damaged after {counts['lines']} lines: {err}", args.file) from None
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"pii {args.action}: {summary}", file=sys.stderr)
    return 0


def answer(line: bytes | None, args: argparse.Namespace, types: list[str], token: str,
           counts: Counter[str]) -> dict[str, Any]:
    """The output object for one input line; `counts` tallies lines, errors and spans per type."""
    counts["lines"] += 1
    doc, error = parse_line(line, args.max_line_bytes)
    if error:
        counts["errors"] += 1
        return {"error": error}
    spans = find_pii(doc["text"], types, region_for(doc.get("lang") or args.lang))
    counts.update(s.type for s in spans)
    if args.action == "find":
        return {"spans": [list(s) for s in spans]}
    return {**doc, "text": redact(doc["text"], spans, token)}


def parse_line(line: bytes | None, max_bytes: int) -> tuple[dict[str, Any], str | None]:
    if line is None:
        return {}, f"line longer than {max_bytes} bytes"
    try:
        doc = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as err:
        return {}, f"not JSON: {err.msg}"
    if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
        return {}, "no string `text` field"
    if doc.get("lang") is not None and not isinstance(doc["lang"], str):
        return {}, "`lang` is not a string"
    return doc, None
