"""Personal information: detectors (`detect`), their checksums (`checksums`), exact-span redaction (`redact`)
and the `pii` processing step (`step`)."""
from .detect import TYPES, Span, find_pii
from .redact import TOKEN_STYLES, redact
from .step import Pii, totals

__all__ = ["TYPES", "Span", "find_pii", "TOKEN_STYLES", "redact", "Pii", "totals"]
