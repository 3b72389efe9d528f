"""End to end: the demo recipe builds a Hub-layout folder that `datasets` loads, reproducibly; bad recipes
give one clear line."""
import hashlib
import json
import subprocess
import sys

import datasets
import pytest
import yaml

from bigscience_corpus.catalogue import sources
from bigscience_corpus.cli import main
from bigscience_corpus.source_card import card_problems, read_card

NAME = "bigscience-demo"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--out", str(out)]) == 0
    return out / NAME


def _sha(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))}


def test_layout_is_the_hub_layout(built):
    manifest = json.loads((built / "manifest.json").read_text())
    front = yaml.safe_load((built / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    configs = {c["config_name"]: c for c in front["configs"]}
    assert [c for c in configs if configs[c].get("default")] == ["all"]
    assert set(configs) == set(manifest["configs"]) and {"all", "fr", "zh-Hans", "yo", "sw", "ar"} <= set(configs)
    for name, config in configs.items():
        for entry in config["data_files"]:
            assert entry["path"] == f"{name}/{entry['split']}-*"
            files = sorted((built / name).glob(f"{entry['split']}-*.parquet"))
            assert [f.name for f in files] == [f"{entry['split']}-{i:05d}-of-{len(files):05d}.parquet"
                                               for i in range(len(files))]
    infos = {i["config_name"]: i for i in front["dataset_info"]}
    assert {s["name"]: s["num_examples"] for s in infos["fr"]["splits"]} == manifest["configs"]["fr"]
    assert set(manifest["files"]) == set(_sha(built))


def test_every_config_loads_map_style_and_streaming_with_manifest_counts(built):
    manifest = json.loads((built / "manifest.json").read_text())
    for config, counts in manifest["configs"].items():
        ds = datasets.load_dataset(str(built), config)
        assert {split: len(ds[split]) for split in ds} == counts
        streamed = datasets.load_dataset(str(built), config, streaming=True)
        assert sum(1 for _ in streamed["train"]) == counts["train"]
        if config != "all":
            assert set(ds["train"]["lang"]) == {config}
    default = datasets.load_dataset(str(built))
    assert len(default["train"]) == manifest["configs"]["all"]["train"]
    assert set(default["validation"]["lang"]) <= set(default["train"]["lang"])
    # interleaved: the first rows of the default config are not one source or language after another
    first = default["train"][:30]
    assert len(set(first["lang"])) > 10 and len(set(first["source"])) >= 3
    assert isinstance(default["train"][0]["meta"], dict)


def test_manifest_records_inputs_versions_and_counts(built):
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["seed"] == 1234 and manifest["versions"]["datasets"] == datasets.__version__
    local = manifest["sources"]["local_files"]
    assert len(local["input_checksums"]) == 3 and all(len(c) == 64 for c in local["input_checksums"].values())
    for source in manifest["sources"].values():
        assert source["loaded"] - sum(source["dropped_by_step"].values()) == source["after_steps"]
    published = sum(s["published"] for s in manifest["sources"].values())
    assert published == sum(manifest["configs"]["all"].values())
    card = (built / "README.md").read_text(encoding="utf-8")
    for section in ("## Dataset Structure", "### Composition", "### Personal and Sensitive Information",
                    "## Bias, Risks, and Limitations", "## Licensing"):
        assert section in card


def test_building_twice_gives_identical_ids_and_parquet(built, tmp_path):
    assert main(["build", "--out", str(tmp_path)]) == 0
    again = tmp_path / NAME
    assert _sha(again) == _sha(built)
    assert datasets.load_dataset(str(again))["train"]["id"] == datasets.load_dataset(str(built))["train"]["id"]


def _run_cli(*args):
    return subprocess.run([sys.executable, "-m", "bigscience_corpus.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.update(sorces=r.pop("sources")), "unknown key(s) ['sorces'] in the recipe"),
    (lambda r: r["sources"].append({"source": "nope"}), "unknown source 'nope'; the catalogue has:"),
    (lambda r: r["sources"][0].update(options={"langs": ["yo"]}), "unknown option(s) ['langs']"),
    (lambda r: r["sources"][0].update(options={"languages": ["xx-Nope"]}),
     "loaders/udhr.py: loader failed: ValueError: no UDHR text for ['xx-Nope']"),
    (lambda r: r["steps"].append("no_such_step"), "unknown processing step 'no_such_step'"),
    (lambda r: r["sources"][0].update(ratio=2), "sources[0].ratio must be in (0, 1]"),
    (lambda r: r["dedup"].append({"name": "minhash", "threshold": 0.8}), "unknown key(s) ['threshold'] in dedup[3]"),
    (lambda r: r["steps"].append(["normalise"]), "must be a name or a mapping with a 'name'"),
])
def test_bad_recipes_give_one_clear_line(tmp_path, edit, message):
    recipe = yaml.safe_load(_run_cli_recipe_text())
    edit(recipe)
    path = tmp_path / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe), encoding="utf-8")
    result = _run_cli("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and message in error_lines[0]
    assert not (tmp_path / "out" / NAME).exists()


def test_malformed_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nsources: [udhr\n", encoding="utf-8")
    result = _run_cli("build", str(path))
    assert result.returncode == 2 and result.stderr.startswith(f"error: {path}: YAML does not parse")


def test_source_with_a_broken_card_stops_the_build_naming_the_card(tmp_path, monkeypatch, capsys):
    udhr = sources()["udhr"]
    broken = tmp_path / "udhr.md"
    broken.write_text(udhr.card_path.read_text(encoding="utf-8").replace("custodian:", "keeper:"), encoding="utf-8")
    monkeypatch.setattr(udhr, "card_path", broken)
    monkeypatch.setattr(udhr, "card_problems", card_problems(read_card(broken), "udhr"))
    assert main(["build", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {broken}: source is not valid: missing required key 'custodian'"


def _demo_recipe_elsewhere():
    """The demo recipe, with its package-relative inputs made absolute so it runs from any folder."""
    from bigscience_corpus.catalogue import PACKAGE_DIR

    recipe = yaml.safe_load(_run_cli_recipe_text())
    for entry in recipe["sources"]:
        options = entry.get("options", {})
        for key in ("data_files", "dataset_id"):
            if key in options:
                options[key] = str(PACKAGE_DIR / options[key])
    return recipe


def _run_cli_recipe_text():
    from importlib import resources

    return resources.files("bigscience_corpus").joinpath("recipes/demo.yaml").read_text(encoding="utf-8")


def test_worker_processes_do_not_change_the_corpus(built, tmp_path):
    assert main(["build", "--out", str(tmp_path), "--num-proc", "2"]) == 0
    assert _sha(tmp_path / NAME) == _sha(built)


def test_token_counts_with_the_recipes_tokenizer(built, tmp_path):
    """A BPE tokenizer trained on the demo's own text: the token counts reported equal an independent count."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(datasets.load_dataset(str(built))["train"]["text"],
                                  trainers.BpeTrainer(vocab_size=400, special_tokens=["[UNK]"]))
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    recipe = _demo_recipe_elsewhere()
    recipe["output"]["tokenizer"] = "tokenizer.json"  # relative to the recipe file
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    assert main(["build", str(tmp_path / "recipe.yaml"), "--out", str(tmp_path / "out")]) == 0
    manifest = json.loads((tmp_path / "out" / NAME / "manifest.json").read_text())
    french = datasets.load_dataset(str(tmp_path / "out" / NAME), "fr")
    expected = sum(len(tokenizer.encode(t, add_special_tokens=False).ids) for split in french.values()
                   for t in split["text"])
    assert sum(r["tokens"] for r in manifest["composition"] if r["lang"] == "fr") == expected
    card = (tmp_path / "out" / NAME / "README.md").read_text(encoding="utf-8")
    assert "| language | train docs | validation docs | MB | words | tokens | share of bytes |" in card


def test_unloadable_tokenizer_is_a_user_error(tmp_path):
    recipe = yaml.safe_load(_run_cli_recipe_text())
    recipe["output"]["tokenizer"] = "no-such-org/no-such-tokenizer"
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    result = _run_cli("build", str(tmp_path / "recipe.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: output.tokenizer: cannot load tokenizer 'no-such-org/no-such-tokenizer'")


def test_a_recipe_that_drops_everything_says_so(tmp_path):
    recipe = yaml.safe_load(_run_cli_recipe_text())
    recipe["sources"] = [recipe["sources"][0]]
    recipe["steps"] = [{"name": "word_count", "params": {lang: {"min_words": 10_000} for lang in ("default", "en",
                        "fr", "es", "pt", "ar", "zh", "hi", "ur", "bn", "ca", "eu", "id", "vi")}}]
    (tmp_path / "recipe.yaml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
    result = _run_cli("build", str(tmp_path / "recipe.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no document is left to publish" in result.stderr
    assert "'word_count': " in result.stderr


def test_validate_reports_each_problem_and_fails(tmp_path, monkeypatch, capsys):
    udhr = sources()["udhr"]
    monkeypatch.setattr(udhr, "card_problems", ["missing required key 'license'"])
    monkeypatch.setattr(udhr, "fixture", {"languages": ["xx-Nope"]})
    assert main(["sources", "validate", "udhr", "--cache-dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "udhr.py / udhr.md: missing required key 'license'" in captured.err
    assert "udhr.py / udhr.md: does not build from its fixture" in captured.err
    assert "FAIL  udhr" in captured.out and "0 valid, 1 with problems" in captured.out


def test_build_report_beside_the_corpus_has_dropped_samples(built):
    report = json.loads((built.parent / f"{NAME}.report" / "report.json").read_text(encoding="utf-8"))
    manifest = json.loads((built / "manifest.json").read_text())
    for name, source in report["sources"].items():
        assert {s: d["count"] for s, d in source["dropped"].items()} == manifest["sources"][name]["dropped_by_step"]
        for step, dropped in source["dropped"].items():
            assert 1 <= len(dropped["samples"]) <= 3
            assert all(sample["reason"].startswith(f"{step}: ") and sample["text"] for sample in dropped["samples"])
    assert not (built / "report.json").exists()
