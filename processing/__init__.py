"""Shared processing steps: normalisation, language ID, quality filters, PII redaction, deduplication.

Every per-document step is a `Step` (see `processing.base`): a callable over a batch of columns, run by
`datasets.Dataset.map(batched=True)` on one machine or by a distributed engine's `map_batches`. Steps are found
by name in `STEPS`, which is what recipes refer to.
"""
from .base import ANNOTATION_COLUMNS, STEPS, Filter, Step, build_step, register

# Importing the step modules registers their steps.
from . import normalise, pii, langid, filters_roots, filters_gopher, filters_c4, filters_fineweb  # noqa: E402,F401

#: The ROOTS filters in the order ROOTS applied them (the first failure names the drop reason).
ROOTS_FILTERS = ("word_count", "char_repetition", "word_repetition", "special_characters", "stopwords",
                 "flagged_words", "lang_id", "perplexity")

__all__ = ["ANNOTATION_COLUMNS", "ROOTS_FILTERS", "STEPS", "Filter", "Step", "build_step", "register"]
