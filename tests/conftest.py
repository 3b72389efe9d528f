"""Test setup: a private datasets cache per test session, so tests never read a user's cache."""
import os
import tempfile

# datasets reads its cache location at import time: set it before any test imports it.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="bigscience-corpus-tests-")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")


import json  # noqa: E402  (after the cache location is set)
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def load(tmp_path):
    """`load(source, files, **options)`: build a catalogue source on `files` in a per-test cache."""
    from bigscience_corpus.catalogue import build_source

    def run(source, files, **options):
        return build_source(source, {"data_files": [str(f) for f in files], **options},
                            cache_dir=str(tmp_path / "cache"))

    return run


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def udhr() -> dict[str, str]:
    """Language -> UDHR text (gflanguages specimens, see fixtures/build_fixtures.py)."""
    lines = (FIXTURES / "udhr.jsonl").read_text(encoding="utf-8").splitlines()
    return {doc["lang"]: doc["text"] for doc in map(json.loads, lines)}
