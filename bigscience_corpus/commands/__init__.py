"""Subcommands of the `bigscience-corpus` CLI, one module each.

Each module defines `register(subparsers)`, which adds its parser and sets `func(args) -> int` as the handler.
"""

#: Modules under `bigscience_corpus.commands`, in the order `--help` lists them.
COMMAND_MODULES = [
    "build",
    "sources",
    "load",
    "annotate",
    "pii",
    "dedup",
]
