import json

import pyarrow.parquet as pq

from bigscience_corpus.cli import main
from bigscience_corpus.processing import build_step
from bigscience_corpus.processing.filter_report import filter_report

from conftest import FIXTURES


def test_annotate_writes_statistics_predictions_and_verdicts(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "caf\\u00e9 ok"}\n{"text": "\xff\xfe broken bytes"}\nnot json\n{"text": 5}\n')
    assert main(["annotate", str(FIXTURES / "udhr.jsonl"), str(bad), "--out", str(tmp_path / "out"),
                 "--filters", "word_count,stopwords,lang_id", "--report"]) == 0
    table = pq.read_table(tmp_path / "out" / "udhr.parquet").to_pylist()
    assert len(table) == 10
    by_lang = {row["lang"]: row for row in table}
    assert by_lang["fr"]["pred_lang"] == "fr" and by_lang["fr"]["pred_lang_score"] > 0.5
    assert by_lang["en"]["flags"] == []  # clean prose passes every filter
    assert by_lang["zh"]["stat_word_count"] > 300  # characters counted as words
    assert pq.read_table(tmp_path / "out" / "bad.parquet").num_rows == 3
    printed = capsys.readouterr().out
    assert "1 invalid JSON lines" in printed and "1 documents without text" in printed
    report = json.loads((tmp_path / "out" / "report" / "report.json").read_text())
    assert report["languages"]["fr"]["documents"] == 1
    assert (tmp_path / "out" / "report" / "en__stat_word_count.png").read_bytes()[:4] == b"\x89PNG"


def test_annotate_rejects_unknown_filter_and_missing_file(tmp_path, capsys):
    assert main(["annotate", str(FIXTURES / "udhr.jsonl"), "--out", str(tmp_path), "--filters", "nope"]) == 2
    assert main(["annotate", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path)]) == 2
    assert "unknown filter(s) nope" in capsys.readouterr().err


def test_filter_report_counts_and_samples(tmp_path, udhr):
    step = build_step({"name": "word_count", "params": {"default": {"min_words": 25}}})
    texts = [udhr["en"], udhr["sw"], "too short", "also too short here"]
    batch = step({"text": texts, "lang": ["en", "sw", "en", "en"]})
    report = filter_report(batch, [step], tmp_path)
    # en has its own ROOTS minimum of 20 words, which the recipe's default does not override
    assert report["languages"]["en"]["dropped"] == {"word_count": 2}
    assert report["languages"]["en"]["samples"]["word_count"] == ["too short", "also too short here"]
    assert report["languages"]["sw"]["dropped"] == {}
    assert (tmp_path / "en__stat_word_count.png").exists()
