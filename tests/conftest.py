"""Test setup: a private datasets cache per test session, so tests never read a user's cache."""
import os
import tempfile

# datasets reads its cache location at import time: set it before any test imports it.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="bigscience-corpus-tests-")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
