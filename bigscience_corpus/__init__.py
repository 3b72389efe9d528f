"""bigscience-corpus: build large, multilingual, documented pre-training corpora as Hugging Face datasets."""
from __future__ import annotations

__version__ = "0.1.0"
