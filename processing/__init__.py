"""Shared processing steps: normalisation, quality filters, PII redaction, deduplication.

Every per-document step is a `Step` (see `processing.base`): a callable over a batch of columns, run by
`datasets.Dataset.map(batched=True)` on one machine or by a distributed engine's `map_batches`. Steps are found
by name in `STEPS`, which is what recipes refer to.
"""
from .base import ANNOTATION_COLUMNS, STEPS, Filter, Step, build_step, register

# Importing the step modules registers their steps.
from . import normalise, pii, quality  # noqa: E402,F401

__all__ = ["ANNOTATION_COLUMNS", "STEPS", "Filter", "Step", "build_step", "register"]
