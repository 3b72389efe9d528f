"""The generic local-files loader on the demo data (Debian Reference text), and on damaged copies of it."""
import bz2
import gzip
import json
import lzma
import shutil

import pytest

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source

DEMO = PACKAGE_DIR / "demo_data" / "local_files"


def load(tmp_path, files, **options):
    return build_source("local_files", {"data_files": [str(f) for f in files], **options},
                        cache_dir=str(tmp_path / "cache"))


def test_jsonl_parquet_and_text_with_their_metadata(tmp_path):
    built = load(tmp_path, sorted(DEMO.iterdir()), lang="fr", text_unit="paragraph")
    docs = built.dataset
    by_lang = {}
    for doc in docs:
        by_lang.setdefault(doc["lang"], []).append(doc)
    assert sorted(by_lang) == ["en", "fr", "zh-Hans"]
    source_lines = (DEMO / "reference_en.jsonl").read_text(encoding="utf-8").splitlines()
    assert [d["text"] for d in by_lang["en"]] == [json.loads(line)["text"] for line in source_lines]
    first = by_lang["en"][0]
    assert first["id"] == "local_files/" + __import__("bigscience_corpus.schema").schema.digest("debian-reference-en-0")
    assert first["meta"] == {"file": "reference_en.jsonl", "line": 1, "chapter_paragraph": 0}
    assert first["url"].startswith("https://www.debian.org/")
    assert by_lang["zh-Hans"][0]["meta"]["row"] == 1
    assert len(by_lang["fr"]) == len(gzip.open(DEMO / "reference_fr.txt.gz").read().split(b"\n\n"))
    assert built.skips.total == 0
    assert set(built.checksums) == {str(p) for p in DEMO.iterdir()}


@pytest.mark.parametrize("compress, suffix", [(gzip.compress, ".gz"), (bz2.compress, ".bz2"), (lzma.compress, ".xz")])
def test_compressed_inputs_give_the_same_documents(tmp_path, compress, suffix):
    plain = DEMO / "reference_en.jsonl"
    packed = tmp_path / f"reference_en.jsonl{suffix}"
    packed.write_bytes(compress(plain.read_bytes()))
    assert load(tmp_path, [packed]).dataset["text"] == load(tmp_path, [plain]).dataset["text"]


def test_ids_do_not_depend_on_where_the_files_live(tmp_path):
    text = DEMO / "reference_fr.txt.gz"
    for folder in ("a", "b/c"):
        (tmp_path / folder).mkdir(parents=True)
        shutil.copy(text, tmp_path / folder)
    ids = [load(tmp_path, [tmp_path / folder / text.name], text_unit="paragraph").dataset["id"]
           for folder in ("a", "b/c")]
    assert ids[0] == ids[1]


def test_bad_input_is_skipped_counted_and_the_rest_kept(tmp_path):
    good = (DEMO / "reference_en.jsonl").read_bytes()
    lines = good.splitlines(keepends=True)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "truncated.jsonl.gz").write_bytes(gzip.compress(good)[:-200])
    (bad / "mixed.jsonl").write_bytes(lines[0] + b'{"text": broken\n' + b'{"text": "caf\xe9"}\n' + b"[1, 2]\n"
                                      + b'{"title": "no text"}\n' + lines[1])
    record = json.loads(lines[2])
    record["text"] = (record["text"] + " ") * (50_000_000 // len(record["text"]))
    (bad / "huge.jsonl").write_text(json.dumps(record) + "\n" + lines[3].decode(), encoding="utf-8")
    (bad / "empty.jsonl").write_bytes(b"")
    (bad / "latin1.txt").write_bytes(gzip.decompress((DEMO / "reference_fr.txt.gz").read_bytes())
                                     .decode("utf-8").encode("latin-1", "replace"))
    (bad / "notes.docx").write_bytes(b"PK\x03\x04")
    built = load(tmp_path, sorted(bad.iterdir()), max_doc_chars=10_000_000)
    reasons = built.skips.counts
    assert reasons == {
        "unreadable input (EOFError)": 1, "invalid JSON": 1, "undecodable bytes (not UTF-8)": 2,
        "JSON line is not an object": 1, "record has no string 'text' field": 1,
        "line longer than max_doc_chars": 1, "file has no documents (empty)": 1, "unsupported file type": 1}
    texts = built.dataset["text"]
    # Every good record survives: the two good lines of mixed.jsonl, the line after the huge one, and the
    # records of the truncated file before the damage.
    assert json.loads(lines[0])["text"] in texts and json.loads(lines[1])["text"] in texts
    assert json.loads(lines[3])["text"] in texts
    truncated_kept = len(texts) - 3
    assert 1 <= truncated_kept < len(lines)
    assert built.skips.samples["invalid JSON"][0].startswith("mixed.jsonl:2")


@pytest.mark.parametrize("compress, suffix, error", [
    (gzip.compress, ".gz", "(BadGzipFile)"), (lambda d: bz2.compress(d, 1), ".bz2", "(OSError)"),
    (lzma.compress, ".xz", "(LZMAError)")])
def test_corruption_inside_a_compressed_file_keeps_what_came_before(tmp_path, compress, suffix, error):
    from gflanguages import LoadLanguages

    # ~750 languages of UDHR text: varied enough that the damage sits in the middle of the compressed stream
    records = [{"text": lang.sample_text.specimen_16, "lang": lang.language}
               for lang in LoadLanguages().values() if lang.HasField("sample_text")]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    damaged = bytearray(compress(data))
    for i in range(len(damaged) // 2, len(damaged) // 2 + 40):
        damaged[i] ^= 0x55
    path = tmp_path / f"damaged.jsonl{suffix}"
    path.write_bytes(bytes(damaged))
    built = load(tmp_path, [path])
    assert built.skips.counts[f"unreadable input {error}"] == 1, built.skips.to_dict()
    kept = built.dataset["text"]
    assert 0 < len(kept) < len(records)
    assert kept == [r["text"] for r in records[:len(kept)]]


def test_a_source_with_no_document_is_an_empty_dataset_not_an_error(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    built = load(tmp_path, [tmp_path / "empty.jsonl"])
    assert len(built.dataset) == 0 and built.skips.counts == {"file has no documents (empty)": 1}


def test_no_matching_file_is_a_user_error(tmp_path):
    from bigscience_corpus.errors import UserError

    with pytest.raises(UserError, match="no file matches"):
        load(tmp_path, [tmp_path / "nothing-*.jsonl"])
