"""Errors a user can fix. The CLI prints them as one line and exits non-zero, never as a traceback."""
from __future__ import annotations


class UserError(Exception):
    """A problem in the user's input (recipe, card, files, options), stated so it can be fixed."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
