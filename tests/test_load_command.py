"""The `load` command on a user's own files: documents as parquet and the skip report. (Every loader's card and
fixture build are checked by test_catalogue.py.)"""
import json
import shutil

import pyarrow.parquet as pq

from bigscience_corpus.catalogue import PACKAGE_DIR
from bigscience_corpus.cli import main


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
