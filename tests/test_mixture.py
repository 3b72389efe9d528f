"""Sampling, splits and interleaving are functions of (seed, id): stable when other documents come and go."""
import datasets
import numpy as np

from bigscience_corpus import mixture
from bigscience_corpus.catalogue import build_source


def _udhr(tmp_path):
    return build_source("udhr", {}, cache_dir=str(tmp_path)).dataset


def test_sampling_keeps_about_the_ratio_and_the_same_documents_every_time(tmp_path):
    ds = _udhr(tmp_path)
    twice = datasets.concatenate_datasets([ds, ds.map(lambda r: {"id": r["id"] + "b", "source": "other"})])
    half = mixture.sample(twice, {"udhr": 0.5, "other": 1.0}, seed=7)
    kept_udhr = [i for i, s in zip(half["id"], half["source"]) if s == "udhr"]
    assert abs(len(kept_udhr) / len(ds) - 0.5) < 0.12
    assert sum(s == "other" for s in half["source"]) == len(ds)
    assert mixture.sample(twice, {"udhr": 0.5}, seed=7)["id"] == half["id"]
    assert mixture.sample(twice, {"udhr": 0.5}, seed=8)["id"] != half["id"]
    # a document's fate does not depend on the others
    alone = mixture.sample(ds.select(range(0, len(ds), 2)), {"udhr": 0.5}, seed=7)
    assert set(alone["id"]) == set(kept_udhr) & set(ds.select(range(0, len(ds), 2))["id"])


def test_validation_split_per_language_is_stable_and_never_empty(tmp_path):
    ds = _udhr(tmp_path)
    ids, langs = list(ds["id"]), list(ds["lang"])
    splits = mixture.split_rows(ids, langs, validation=0.05, seed=1)
    validation = {ids[i] for i in splits["validation"]}
    for lang in set(langs):
        count = langs.count(lang)
        in_validation = sum(1 for i in splits["validation"] if langs[i] == lang)
        assert in_validation >= (1 if count >= 2 else 0)
        assert in_validation < count or count == 1 and in_validation == 0
    assert len(splits["train"]) + len(splits["validation"]) == len(ds)
    assert not set(splits["train"]) & set(splits["validation"])
    # removing other languages' documents does not move this one's
    yo_rows = [i for i, lang in enumerate(langs) if lang == "yo"]
    yo_only = mixture.split_rows([ids[i] for i in yo_rows], ["yo"] * len(yo_rows), 0.05, 1)
    assert {ids[yo_rows[i]] for i in yo_only["validation"]} == {i for i in validation if i in {ids[r] for r in yo_rows}}


def test_interleaving_is_a_seeded_permutation(tmp_path):
    ds = _udhr(tmp_path)
    order = mixture.interleaved(ds, seed=3)["id"]
    assert sorted(order) == sorted(ds["id"]) and order != list(ds["id"])
    assert mixture.interleaved(ds, seed=3)["id"] == order
    langs = np.array(mixture.interleaved(ds, seed=3)["lang"])
    assert (langs[1:] != langs[:-1]).mean() > 0.8  # languages are mixed, not in runs
