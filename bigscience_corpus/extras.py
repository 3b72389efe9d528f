"""Optional dependencies of loaders, installed with an extra (`pip install bigscience-corpus[whisper]`)."""
from __future__ import annotations

import importlib
from types import ModuleType

from .errors import UserError


def require(module: str, extra: str) -> ModuleType:
    """Import `module`, or tell the user which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UserError(f"this loader needs {module!r}: pip install 'bigscience-corpus[{extra}]'") from None
