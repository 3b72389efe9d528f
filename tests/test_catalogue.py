"""Every loader in the catalogue: its card is complete and it builds valid documents from its fixture."""
import shutil

import pytest
import yaml

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, sources
from bigscience_corpus.cli import main
from bigscience_corpus.schema import DOCUMENT_COLUMNS
from bigscience_corpus.source_card import card_problems, read_card

CATALOGUE = sources()


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_loader_builds_valid_documents_from_its_fixture(name, tmp_path):
    source = CATALOGUE[name]
    assert source.problems == []
    assert source.fixture, f"{name} defines no FIXTURE"
    first = build_source(name, source.fixture, cache_dir=str(tmp_path / "a"), base_dir=PACKAGE_DIR)
    ds = first.dataset
    assert ds.column_names == DOCUMENT_COLUMNS
    assert len(ds) > 0
    assert len(set(ds["id"])) == len(ds)
    assert all(i.startswith(f"{name}/") for i in ds["id"])
    assert all(isinstance(t, str) and t.strip() for t in ds["text"])
    assert all(lang for lang in ds["lang"])
    assert set(ds["source"]) == {name}
    # Rebuilt in a fresh cache, the source gives the same documents in the same order.
    again = build_source(name, source.fixture, cache_dir=str(tmp_path / "b"), base_dir=PACKAGE_DIR).dataset
    assert again["id"] == ds["id"] and again["text"] == ds["text"]


def test_sources_list_shows_every_source(capsys):
    assert main(["sources", "list"]) == 0
    out = capsys.readouterr().out
    for name, source in CATALOGUE.items():
        assert name in out and source.card.meta["modality"] in out


def test_sources_validate_passes(capsys, tmp_path):
    assert main(["sources", "validate", "--cache-dir", str(tmp_path)]) == 0
    assert f"{len(CATALOGUE)} valid, 0 with problems" in capsys.readouterr().out


def _copy_card(tmp_path, edit):
    card = tmp_path / "udhr.md"
    shutil.copy(CATALOGUE["udhr"].card_path, card)
    card.write_text(edit(card.read_text(encoding="utf-8")), encoding="utf-8")
    return card


def test_card_missing_keys_and_sections_are_each_reported(tmp_path):
    card = _copy_card(tmp_path, lambda t: t.replace("license: apache-2.0\n", "").replace("## Licensing", "## Licence"))
    assert card_problems(read_card(card), "udhr") == ["missing required key 'license'", "missing section '## Licensing'"]


def test_card_with_bad_yaml_or_no_front_matter_is_explained(tmp_path):
    with pytest.raises(ValueError, match="YAML front matter does not parse"):
        read_card(_copy_card(tmp_path, lambda t: t.replace("modality: text", "modality: [text")))
    with pytest.raises(ValueError, match="does not start with a '---'"):
        read_card(_copy_card(tmp_path, lambda t: t.split("---", 2)[2]))


def test_card_with_wrong_uid_or_modality(tmp_path):
    card = _copy_card(tmp_path, lambda t: t.replace("uid: udhr", "uid: udhr2").replace("modality: text", "modality: tv"))
    problems = card_problems(read_card(card), "udhr")
    assert "uid 'udhr2' does not match the loader name 'udhr'" in problems
    assert any(p.startswith("modality 'tv' is not one of") for p in problems)


def test_scaffolded_source_is_flagged_until_filled_in(tmp_path, capsys):
    assert main(["sources", "new", "my_corpus", "--root", str(tmp_path)]) == 0
    card = read_card(tmp_path / "cards" / "my_corpus.md")
    assert "still has TODO placeholders" in card_problems(card, "my_corpus")
    loader = (tmp_path / "loaders" / "my_corpus.py").read_text()
    compile(loader, "my_corpus.py", "exec")
    assert "class MyCorpus(SourceBuilder)" in loader
    assert (tmp_path / "tests" / "test_source_my_corpus.py").exists()
    assert main(["sources", "new", "my_corpus", "--root", str(tmp_path)]) == 2
    assert "would overwrite" in capsys.readouterr().err


def test_card_yaml_is_valid_hub_metadata():
    for source in CATALOGUE.values():
        front = source.card_path.read_text(encoding="utf-8").split("---")[1]
        meta = yaml.safe_load(front)
        assert isinstance(meta["language"], list) and meta["license"]


@pytest.fixture
def extra_loaders(tmp_path, monkeypatch):
    """A second loaders folder on the package path, for loaders that must not ship."""
    import bigscience_corpus.loaders as package

    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    sources.cache_clear()
    yield tmp_path
    sources.cache_clear()


def test_a_loader_that_does_not_import_is_reported_not_fatal(extra_loaders, tmp_path, capsys):
    (extra_loaders / "needs_missing_dep.py").write_text("import package_that_is_not_installed\n")
    catalogue = sources()
    assert {"udhr", "local_files", "needs_missing_dep"} <= set(catalogue)
    broken = catalogue["needs_missing_dep"]
    assert broken.loader_problems == ["loader does not import: ModuleNotFoundError: "
                                      "No module named 'package_that_is_not_installed'"]
    assert broken.card_problems == ["has no card (expected at cards/needs_missing_dep.md)"]
    assert main(["sources", "list"]) == 0
    assert main(["sources", "validate", "needs_missing_dep", "--cache-dir", str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert "needs_missing_dep.py / needs_missing_dep.md: loader does not import" in err
    from bigscience_corpus.errors import UserError

    with pytest.raises(UserError, match="needs_missing_dep.py: source is not valid: loader does not import"):
        build_source("needs_missing_dep", {})
