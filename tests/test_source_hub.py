"""The hub loader on local folders in the Hub's layout (`load_dataset(folder)` reads them as it reads the Hub)."""
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, get_source
from bigscience_corpus.errors import UserError
from bigscience_corpus.schema import digest

DEMO = PACKAGE_DIR / "demo_data" / "hub" / "demo-text"
MAPPING = {"text_column": "content", "id_column": "doc_id", "lang_column": "language", "url_column": "source_url"}


def load(tmp_path, folder, **options):
    return build_source("hub", {"dataset_id": str(folder), **options}, cache_dir=str(tmp_path / "c"))


def test_default_config_rows_mapped_to_documents(tmp_path):
    built = build_source("hub", get_source("hub").fixture, cache_dir=str(tmp_path), base_dir=PACKAGE_DIR)
    table = pq.read_table(next((DEMO / "udhr").glob("*.parquet"))).to_pylist()  # the README's default config
    docs = built.dataset
    assert docs["text"] == [r["content"] for r in table]
    assert docs["lang"] == [r["language"] for r in table]
    assert docs["id"] == ["hub/" + digest(f"demo-text/default/train/{r['doc_id']}") for r in table]
    assert all(d["url"] is None and d["meta"]["chars"] == len(d["text"]) for d in docs)
    assert sorted(set(docs["lang"])) == ["fa", "he", "ja", "ko", "ru", "tr"]
    assert built.skips.total == 0


def test_named_config_with_urls_and_a_limit(tmp_path):
    built = load(tmp_path, DEMO, subset="debian_reference", limit=5, **MAPPING)
    table = pq.read_table(next((DEMO / "debian_reference").glob("*.parquet"))).to_pylist()[:5]
    assert built.dataset["text"] == [r["content"] for r in table]
    assert built.dataset["url"] == [r["source_url"] for r in table] and table[0]["source_url"].startswith("https://")


def test_plain_parquet_folder_ids_independent_of_location_and_bad_rows(tmp_path):
    rows = pq.read_table(next((DEMO / "udhr").glob("*.parquet"))).to_pylist()
    texts = [r["content"] for r in rows[:6]]
    for parent in ("a", "b/c"):
        data = tmp_path / parent / "my-corpus" / "data"
        data.mkdir(parents=True)
        # A text-less row and a numeric "text" among real ones, in the layout push_to_hub writes.
        pq.write_table(pa.table({"text": texts[:3] + [None], "n": [1, 2, 3, 4]}), data / "train-00000-of-00002.parquet")
        pq.write_table(pa.table({"text": texts[3:] + ["x"], "n": [5, 6, 7, 8]}), data / "train-00001-of-00002.parquet")
    first = load(tmp_path / "1", tmp_path / "a" / "my-corpus", lang="sw")
    second = load(tmp_path / "2", tmp_path / "b" / "c" / "my-corpus", lang="sw")
    assert first.dataset["id"] == second.dataset["id"]
    assert first.dataset["text"] == texts + ["x"]
    assert first.skips.counts == {"row has no string 'text' value": 1}
    assert first.dataset["lang"] == ["sw"] * 7 and first.dataset[0]["meta"]["n"] == 1
    # A limit is a prefix of the split, across its two files.
    assert load(tmp_path / "3", tmp_path / "a" / "my-corpus", limit=5).dataset["text"] == texts[:3] + texts[3:4]


def test_a_corrupt_shard_is_reported_and_the_others_load(tmp_path):
    data = tmp_path / "corpus" / "data"
    shutil.copytree(DEMO / "udhr", data)
    good = next(data.glob("*.parquet"))
    shutil.copy(good, data / "train-00001-of-00002.parquet")
    (data / "train-00001-of-00002.parquet").write_bytes(good.read_bytes()[:-100])
    built = load(tmp_path, tmp_path / "corpus", **MAPPING)
    assert len(built.dataset) == pq.read_metadata(good).num_rows
    assert sum(count for reason, count in built.skips.counts.items() if reason.startswith("unreadable input")) == 1


def test_unknown_column_and_missing_dataset_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no column.*'body'.*its columns are: doc_id, content"):
        load(tmp_path, DEMO, text_column="body")
    with pytest.raises(UserError):
        load(tmp_path, tmp_path / "no-such-folder")
