"""Token counts with the tokenizer a corpus is built for (a `tokenizers` JSON file or a Hub model id)."""
from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer

from .errors import UserError


def load_tokenizer(spec: str, base_dir: str | Path = ".") -> Tokenizer:
    """A tokenizer from a `tokenizer.json` path (relative to the recipe) or a Hub model id."""
    path = Path(base_dir, spec)
    try:
        return Tokenizer.from_file(str(path)) if path.is_file() else Tokenizer.from_pretrained(spec)
    except Exception as err:  # the Hub unreachable, no such model, not a tokenizer file
        raise UserError(f"cannot load tokenizer {spec!r} (a tokenizer.json path or a Hub model id): "
                        f"{' '.join(str(err).split())[:200]}", "output.tokenizer") from None


def count_tokens(tokenizer: Tokenizer, texts: list[str]) -> list[int]:
    """Tokens per text, without special tokens (what a document adds to a training stream)."""
    return [len(encoding.ids) for encoding in tokenizer.encode_batch(texts, add_special_tokens=False)]
