"""Reading input files safely: transparent decompression, bounded lines, and paths relative to a root."""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zlib
from typing import BinaryIO, Iterator

#: Exceptions that mean the *input* is damaged (truncated, corrupt, undecodable) rather than the code wrong.
READ_ERRORS = (OSError, EOFError, ValueError, UnicodeError, zlib.error, lzma.LZMAError)

_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def compression_suffix(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    return suffix if suffix in _OPENERS or suffix == ".zst" else ""


def base_suffix(path: str) -> str:
    """The format suffix under any compression suffix: `a.jsonl.gz` -> `.jsonl`."""
    if compression_suffix(path):
        path = path[: -len(compression_suffix(path))]
    return os.path.splitext(path)[1].lower()


def open_binary(path: str) -> BinaryIO:
    """A readable binary stream of the decompressed content (gzip, bz2, xz, zstd) — streamed, never extracted."""
    suffix = compression_suffix(path)
    if suffix == ".zst":
        import zstandard  # optional: only zstd inputs need it

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True))
    opener = _OPENERS.get(suffix)
    return opener(path, "rb") if opener else open(path, "rb")


def bounded_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number from 1, line bytes) — or None for a line longer than `max_bytes`, whose bytes are skipped
    without ever holding them in memory (a 50 MB one-line document or a decompression bomb)."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
            yield number, None
        else:
            yield number, line


def common_root(paths: list[str]) -> str:
    """The deepest folder holding every local path: ids use paths relative to it, so they do not depend on
    where a user keeps the data."""
    local = [os.path.dirname(os.path.abspath(p)) for p in paths if "://" not in p]
    return os.path.commonpath(local) if local else ""


def relative(path: str, root: str) -> str:
    return os.path.relpath(path, root) if root and "://" not in path else path
