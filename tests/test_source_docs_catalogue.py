"""The document-modality loaders (pdf, ocr, speech, code) as the catalogue sees them: valid cards, a build from
their fixture, and the `load` command on a user's own files."""
import json
import shutil

import pyarrow.parquet as pq
import pytest

from bigscience_corpus.catalogue import PACKAGE_DIR, sources
from bigscience_corpus.cli import main
from bigscience_corpus.commands.sources import check_source

DOC_SOURCES = ["pdf", "ocr", "speech", "code"]


@pytest.mark.parametrize("name", DOC_SOURCES)
def test_card_and_fixture_build(name, tmp_path):
    if name == "ocr" and shutil.which("tesseract") is None:
        pytest.skip("needs the tesseract program")
    source = sources()[name]
    assert check_source(source, str(tmp_path)) == []
    assert source.card.meta["modality"] == name


def test_load_command_writes_documents_and_the_skip_report(tmp_path, capsys):
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    shutil.copy(PACKAGE_DIR / "demo_data" / "pdf" / "reference_fr_p31-33.pdf", pdfs)
    shutil.copy(PACKAGE_DIR / "demo_data" / "ocr" / "reference_fr_p34_scan.pdf", pdfs)
    out = tmp_path / "out"
    assert main(["load", "pdf", "--data-files", f"{pdfs}/*.pdf", "-o", "lang=fr", "--out", str(out),
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    assert pq.read_table(out / "documents.parquet").column("lang").to_pylist() == ["fr"]
    skipped = json.loads((out / "skipped.json").read_text())
    assert [entry["samples"] for entry in skipped.values()] == [["reference_fr_p34_scan.pdf"]]
    assert "1 skipped" in capsys.readouterr().out
