"""bigscience-corpus: build large, multilingual, documented pre-training corpora as Hugging Face datasets.

    from bigscience_corpus import load_source, load_recipe, build_corpus
    load_source("udhr", languages=["yo", "sw"])          # one source as a DatasetDict
    build_corpus(load_recipe("demo"), "out")             # a corpus folder in the Hub layout
"""
from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import load_source, sources  # noqa: E402
from .pipeline import build_corpus  # noqa: E402
from .recipe import load_recipe  # noqa: E402

__all__ = ["__version__", "build_corpus", "load_recipe", "load_source", "sources"]
