import subprocess
import sys

from bigscience_corpus.schema import DOCUMENT_COLUMNS, digest, document, make_id


def test_ids_are_stable_across_processes_with_different_hash_seeds():
    code = "from bigscience_corpus.schema import make_id; print(make_id('udhr', 'yo_Latn/specimen_16/0'))"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert outputs == {make_id("udhr", "yo_Latn/specimen_16/0") + "\n"}


def test_id_is_source_slash_digest_of_the_key():
    assert make_id("web", "https://example.org/a") == "web/" + digest("https://example.org/a")
    assert make_id("web", "a") != make_id("web", "b") != make_id("other", "a")
    assert len(digest("x")) == 32 and len(digest("x", 8)) == 16


def test_document_has_every_column():
    doc = document("udhr", "k", "text", "yo")
    assert list(doc) == DOCUMENT_COLUMNS
    assert doc["meta"] == {} and doc["url"] is None
