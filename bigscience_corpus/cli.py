"""`bigscience-corpus` command line: one subcommand per module in `bigscience_corpus.commands`."""
from __future__ import annotations

import argparse
import importlib
import sys

from .errors import UserError
from .commands import COMMAND_MODULES


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bigscience-corpus", description=__doc__.splitlines()[0])
    subparsers = top.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.commands.{name}").register(subparsers)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    if not hasattr(args, "func"):
        top.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
