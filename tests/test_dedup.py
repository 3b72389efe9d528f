"""Dedup stages on real UDHR text (gflanguages); near-duplicates are made by deleting words at a known rate."""
from __future__ import annotations

import json

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from datasketch import MinHash
from gflanguages import LoadLanguages

from bigscience_corpus.cli import main
from bigscience_corpus.processing.dedup import STAGES, normalised_digest
from bigscience_corpus.processing.dedup import keep, minhash
from bigscience_corpus.processing.dedup.urls import normalise_url

LANGS = ["en_Latn", "fr_Latn", "sw_Latn", "de_Latn", "es_Latn", "pt_Latn", "it_Latn", "nl_Latn", "pl_Latn", "tr_Latn"]
# Loose LSH for 100-word test documents: a 2% edit must be caught every time.
NEAR = {"bands": 20, "rows": 5, "threshold": 0.6}


@pytest.fixture(scope="module")
def udhr() -> dict[str, str]:
    languages = LoadLanguages()
    return {lang: languages[lang].sample_text.specimen_16 + " " + languages[lang].sample_text.specimen_21
            for lang in LANGS + ["zh_Hans", "ja_Jpan"]}


def delete_words(text: str, every: int) -> str:
    return " ".join(w for i, w in enumerate(text.split()) if i % every != every // 2)


def delete_chars(text: str, every: int) -> str:
    return "".join(c for i, c in enumerate(text) if i % every != every // 2)


def corpus(rows: list[tuple[str, str, str | None]], **extra) -> datasets.Dataset:
    """rows: (id, text, source); lang from the id prefix when it names a language."""
    return datasets.Dataset.from_dict({
        "id": [r[0] for r in rows], "text": [r[1] for r in rows], "source": [r[2] for r in rows],
        "lang": [r[0].split("/")[0][:2] if "_" in r[0] else None for r in rows],
        "url": [None] * len(rows), **extra})


def test_normalised_digest_ignores_case_spacing_punctuation_not_digits(udhr):
    text = udhr["fr_Latn"]
    assert normalised_digest(text) == normalised_digest("  " + text.upper().replace(" ", "\n ").replace(",", " ; "))
    assert normalised_digest(text + " 1948") != normalised_digest(text + " 1949")
    assert normalised_digest(None) == normalised_digest("") == normalised_digest("!!! ...")


def test_exact_keeps_priority_source_then_score_then_id(udhr):
    en, fr = udhr["en_Latn"], udhr["fr_Latn"]
    ds = corpus([("b/1", en, "web"), ("a/1", en.upper(), "books"), ("c/1", fr, "web"), ("c/2", fr + "\n", "web"),
                 ("c/3", fr, "web")], quality_score=[0.1, 0.2, 0.5, 0.9, None])
    kept, report = STAGES["exact"](ds, ["books", "web"])
    # en: books outranks web; fr: all web, the best quality score wins.
    assert kept["id"] == ["a/1", "c/2"]
    assert report["removed"] == 3
    assert report["removed_by_source"] == {"web": 3}
    assert report["removed_by_source_pair"] == {"web -> books": 1, "web -> web": 2}
    without_score = corpus([(i, fr, "web") for i in ("z", "m", "q")])
    assert STAGES["exact"](without_score, ["web"])[0]["id"] == ["m"]


def test_exact_output_has_unique_digests_and_honours_selection(udhr):
    texts = list(udhr.values())
    rows = [(f"d{i}", texts[i % 5] + ("" if i % 3 else " "), f"s{i % 2}") for i in range(30)]
    ds = corpus(rows).shuffle(seed=3).select(range(25))  # an indices mapping, as the runner may pass
    kept, report = STAGES["exact"](ds, ["s0", "s1"])
    digests = [normalised_digest(t) for t in kept["text"]]
    assert len(set(digests)) == len(digests) == len({normalised_digest(t) for t in ds["text"]})
    assert report["removed"] == 25 - len(kept)


@pytest.mark.parametrize("url, expected", [
    ("https://www.Example.org/a/b/?utm_source=x&page=2#top", "example.org/a/b?page=2"),
    ("http://example.org:80/a/b", "example.org/a/b"),
    ("example.org:8080/a", "example.org:8080/a"),
    ("https://example.org", "example.org/"),
    ("", None), (None, None), ("http://[broken", None),
])
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_url_dedup_leaves_documents_without_url(udhr):
    ds = corpus([("1", udhr["en_Latn"], "crawl"), ("2", udhr["fr_Latn"], "crawl"), ("3", udhr["sw_Latn"], "wiki"),
                 ("4", udhr["de_Latn"], "wiki")])
    ds = ds.remove_columns("url").add_column("url", ["http://a.org/x?utm_medium=m", "https://www.a.org/x/", None, None])
    kept, report = STAGES["url"](ds, ["crawl", "wiki"])
    assert kept["id"] == ["1", "3", "4"]
    assert report["without_url"] == 2
    assert len(STAGES["url"](ds, ["crawl", "wiki"], sources=["wiki"])[0]) == 4
    with pytest.raises(ValueError, match="list of source names"):
        STAGES["url"](ds, [], sources="crawl")


def test_template_lines_removed_per_source_and_short_documents_dropped(udhr):
    footer = LoadLanguages()["en_Latn"].sample_text.tester
    rows = [(f"site/{lang}", udhr[lang] + "\n" + footer, "site") for lang in LANGS]
    rows.append(("site/only-footer", "Kwa kuwa\n" + footer, "site"))
    rows += [(f"other/{lang}", udhr[lang] + "\n" + footer, "other") for lang in LANGS[:2]]  # 2 docs: under min_docs
    kept, report = STAGES["template_lines"](corpus(rows), [], max_share=0.5, min_docs=5, min_words=5)
    texts = dict(zip(kept["id"], kept["text"]))
    assert "site/only-footer" not in texts
    assert all(texts[f"site/{lang}"] == udhr[lang] for lang in LANGS)
    assert all(texts[f"other/{lang}"].endswith(footer) for lang in LANGS[:2])
    assert report["removed_by_source"] == {"site": 1}
    assert report["lines_removed_by_source"] == {"site": len(LANGS) + 1}


def test_template_lines_unknown_parameter():
    with pytest.raises(ValueError, match="max_shar"):
        STAGES["template_lines"](corpus([("1", "x", "s")]), [], max_shar=0.1)


def test_signature_matches_datasketch_on_the_same_shingles(udhr):
    hashes = minhash.shingles(minhash.tokens(udhr["en_Latn"], chars=False), 5)
    a, b = minhash.permutations(64, seed=7)
    reference = MinHash(num_perm=64, seed=7, hashfunc=lambda x: x, scheme="legacy")
    reference.update_batch(hashes.tolist())
    assert minhash.signature(hashes, a, b).tolist() == reference.hashvalues.tolist()


def test_signature_estimates_true_jaccard(udhr):
    a, b = minhash.permutations(256, seed=1)
    left = minhash.shingles(minhash.tokens(udhr["sw_Latn"], False), 5)
    right = minhash.shingles(minhash.tokens(delete_words(udhr["sw_Latn"], 12), False), 5)
    true = len(np.intersect1d(left, right)) / len(np.union1d(left, right))
    estimate = (minhash.signature(left, a, b) == minhash.signature(right, a, b)).mean()
    assert 0.3 < true < 0.9
    assert abs(estimate - true) < 0.1


def test_union_find_components():
    labels = minhash.connected_components(7, np.array([[5, 6], [1, 2], [2, 6], [3, 4]]))
    assert labels.tolist() == [0, 1, 1, 3, 3, 1, 1]


def near_dup_corpus(udhr) -> datasets.Dataset:
    rows = []
    for i, lang in enumerate(LANGS):
        rows.append((f"{lang}/0", udhr[lang], "books"))
        rows.append((f"{lang}/1", delete_words(udhr[lang], 50), "web" if i % 2 else "books"))
    rows.append(("zh_Hans/0", udhr["zh_Hans"], "web"))
    rows.append(("zh_Hans/1", delete_chars(udhr["zh_Hans"], 60), "web"))
    rows.append(("ja_Jpan/0", udhr["ja_Jpan"], "web"))
    # Bad input: none of it may crash or be clustered with anything.
    rows += [("none", None, "web"), ("empty", "", "web"), ("symbols", "!!! ... ???", "web"),
             ("mixed", udhr["en_Latn"][:200] + udhr["zh_Hans"][:100], "web")]
    return corpus(rows)


def test_minhash_finds_near_duplicates_across_sources_and_languages(udhr):
    ds = near_dup_corpus(udhr)
    kept, report = STAGES["minhash"](ds, ["books", "web"], None, **NEAR)
    kept_ids = set(kept["id"])
    # Same source: the smaller id (the original, "/0") is kept; across sources, books outrank web.
    assert kept_ids == {f"{lang}/0" for lang in LANGS} | {"zh_Hans/0", "ja_Jpan/0", "none", "empty",
                                                               "symbols", "mixed"}
    assert report["removed"] == len(LANGS) + 1
    assert report["removed_by_source_pair"] == {"books -> books": 5, "web -> books": 5, "web -> web": 1}
    assert report["without_shingles"] == 3
    assert {c["size"] for c in report["sample_clusters"]} == {2}


def test_minhash_chinese_needs_character_shingles(udhr):
    ds = corpus([("a", udhr["zh_Hans"], "s"), ("b", delete_chars(udhr["zh_Hans"], 60), "s")])
    assert len(STAGES["minhash"](ds, [], None, **NEAR)[0]) == 1
    # With the language unknown the text's lack of spaces still selects characters.
    ds = ds.remove_columns("lang").add_column("lang", [None, None])
    assert len(STAGES["minhash"](ds, [], None, **NEAR)[0]) == 1


def test_minhash_keeps_number_heavy_documents_apart(udhr):
    words = udhr["en_Latn"].split()[:20]
    tables = [" ".join(f"{w} {i * 37 + j}" for j, w in enumerate(words)) for i in range(4)]
    kept, report = STAGES["minhash"](corpus([(str(i), t, "logs") for i, t in enumerate(tables)]), [], None, **NEAR)
    assert len(kept) == 4


def test_minhash_deterministic_whatever_num_proc(udhr):
    ds = near_dup_corpus(udhr)
    one = STAGES["minhash"](ds, ["books", "web"], 1, **NEAR)
    two = STAGES["minhash"](ds, ["books", "web"], 2, **NEAR)
    assert one[0]["id"] == two[0]["id"]
    assert one[1] == two[1]


def test_minhash_band_slices_give_the_same_clusters(udhr, monkeypatch):
    ds = near_dup_corpus(udhr)
    whole = STAGES["minhash"](ds, ["books", "web"], None, **NEAR)
    monkeypatch.setattr(minhash, "PARTITION_ROWS", 4)  # 8 slices of each band's hash range
    sliced = STAGES["minhash"](ds, ["books", "web"], None, **NEAR)
    assert sliced[0]["id"] == whole[0]["id"] and sliced[1] == whole[1]


def test_minhash_large_single_line_document(udhr):
    big = " ".join([udhr[lang] for lang in LANGS] * 500)  # ~6 MB, one line
    ds = corpus([("big", big, "s"), ("small", udhr["en_Latn"], "s")])
    kept, report = STAGES["minhash"](ds, [], None)
    assert len(kept) == 2 and report["without_shingles"] == 0


def test_minhash_rejects_bad_parameters():
    with pytest.raises(ValueError, match="bands"):
        STAGES["minhash"](corpus([("1", "x", "s")]), [], None, bands=0)


def test_keep_representatives_null_keys_stand_alone():
    ds = corpus([("b", "x", "s"), ("a", "y", "s"), ("c", "z", "s")])
    rep = keep.representatives(pa.array(["k", None, "k"]), ds, ["s"])
    assert rep.tolist() == [0, 1, 0]


def test_dedup_command(tmp_path, udhr, capsys):
    first = [{"id": f"{lang}/orig", "text": udhr[lang]} for lang in LANGS[:4]]
    second = [{"id": f"{lang}/dup", "text": delete_words(udhr[lang], 50), "source": "web"} for lang in LANGS[:2]]
    second.append({"id": "copy", "text": udhr["en_Latn"].upper(), "source": "web"})
    (tmp_path / "books.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first))
    pq.write_table(pa.Table.from_pylist(second), tmp_path / "web.parquet")
    out = tmp_path / "out"
    args = [str(tmp_path / "books.jsonl"), str(tmp_path / "web.parquet"), "--out", str(out)]
    params = [f"-p minhash.{k}={v}" for k, v in NEAR.items()]
    assert main(["dedup", *args, *" ".join(params).split()]) == 0
    clusters = {r["id"]: (r["cluster"], r["kept"]) for r in pq.read_table(out / "clusters.parquet").to_pylist()}
    assert clusters["copy"] == ("en_Latn/orig", False)  # exact stage, books before web
    assert clusters["en_Latn/dup"] == ("en_Latn/orig", False)
    assert clusters["fr_Latn/dup"] == ("fr_Latn/orig", False)
    assert all(clusters[f"{lang}/orig"] == (f"{lang}/orig", True) for lang in LANGS[:4])
    assert sorted(pq.read_table(out / "documents.parquet").column("id").to_pylist()) == sorted(
        f"{lang}/orig" for lang in LANGS[:4])
    report = json.loads((out / "report.json").read_text())
    assert report["exact"]["removed"] == 1 and report["minhash"]["removed"] == 2


def test_dedup_command_replaces_undecodable_bytes(tmp_path, udhr):
    line = json.dumps({"id": "1", "text": udhr["de_Latn"]}, ensure_ascii=False).encode()
    (tmp_path / "a.jsonl").write_bytes(line.replace("Würde".encode(), b"W\xfcrde") + b"\n" + line + b"\n")
    assert main(["dedup", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "o"), "--stage", "exact"]) == 0
    texts = pq.read_table(tmp_path / "o" / "documents.parquet").column("text").to_pylist()
    assert len(texts) == 2 and "W\ufffdrde" in texts[0] and "Würde" in texts[1]


def test_dedup_command_user_errors(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text('{"id": "1"}\n')
    assert main(["dedup", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "missing column(s) ['text']" in capsys.readouterr().err
    (tmp_path / "b.jsonl").write_text("{broken\n")
    assert main(["dedup", str(tmp_path / "b.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["dedup", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o")]) == 2
    (tmp_path / "empty.jsonl").write_text("")
    assert main(["dedup", str(tmp_path / "empty.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "no documents" in capsys.readouterr().err
    assert main(["dedup", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "o"), "-p", "nope.x=1"]) == 2


def test_recipe_selects_stages_and_manifest_counts_them(tmp_path):
    from test_build import NAME, _demo_recipe_elsewhere

    recipe = _demo_recipe_elsewhere()
    recipe["dedup"] = ["exact", {"name": "url", "params": {"sources": ["warc"]}}, "template_lines",
                       {"name": "minhash", "params": NEAR}]
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    assert main(["build", str(tmp_path / "recipe.yaml"), "--out", str(tmp_path / "out")]) == 0
    built = tmp_path / "out" / NAME
    manifest = json.loads((built / "manifest.json").read_text())
    assert set(manifest["dedup"]) == {"exact", "url", "template_lines", "minhash"}
    assert all(isinstance(report["removed"], int) for report in manifest["dedup"].values())
    texts = [t for path in sorted(built.rglob("*.parquet")) if "/all/" not in path.as_posix()
             for t in pq.read_table(path, columns=["text"]).column("text").to_pylist()]
    digests = [normalised_digest(t) for t in texts]
    assert texts and len(set(digests)) == len(digests)
    # The recrawl repeats pages of the crawl; local files share one provenance URL per manual (not a web source).
    assert manifest["dedup"]["exact"]["removed_by_source"] == {"warc": 2}
    assert manifest["dedup"]["url"]["removed_by_source"] == {}
