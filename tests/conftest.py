import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def udhr() -> dict[str, str]:
    """Language -> UDHR text (gflanguages specimens, see fixtures/build_fixtures.py)."""
    lines = (FIXTURES / "udhr.jsonl").read_text(encoding="utf-8").splitlines()
    return {doc["lang"]: doc["text"] for doc in map(json.loads, lines)}
