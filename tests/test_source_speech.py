"""The speech loader on its demo data (CMU pocketsphinx test speech, LibriVox) and on damaged audio files."""
import importlib.util
import re
import shutil
import wave

import pytest

from bigscience_corpus.catalogue import PACKAGE_DIR
from bigscience_corpus.errors import UserError

DEMO = PACKAGE_DIR / "demo_data" / "speech"


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = reference.split(), hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)


def librivox_transcripts() -> dict[str, str]:
    text = (DEMO / "reference" / "librivox.transcription").read_text()
    return {clip[-4:]: words.strip() for words, clip in re.findall(r"<s>(.*?)</s> \((.*?)\)", text)}


def test_transcripts_with_duration_and_recogniser(load):
    built = load("speech", sorted(DEMO.glob("*.*")))
    assert built.skips.total == 0
    docs = {d["meta"]["file"]: d for d in built.dataset}
    assert sorted(docs) == ["goforward.wav", "sense_and_sensibility_0880.flac", "sense_and_sensibility_0930.mp3"]
    # The words of pocketsphinx's own test grammar for this recording (goforward.gram).
    assert docs["goforward.wav"]["text"] == "go forward ten meters"
    with wave.open(str(DEMO / "goforward.wav")) as w:
        assert docs["goforward.wav"]["meta"]["duration_s"] == round(w.getnframes() / w.getframerate(), 3)
    # LibriVox reads: scored against the test data's reference transcripts (PocketSphinx is a small model).
    references = librivox_transcripts()
    for clip in ("0880", "0930"):
        doc = next(d for name, d in docs.items() if clip in name)
        assert word_error_rate(references[clip], doc["text"]) <= 0.5, doc["text"]
        assert 2.5 < doc["meta"]["duration_s"] < 4
    for doc in docs.values():
        assert doc["lang"] == "en" and doc["meta"]["recognizer"] == "pocketsphinx"


def test_bad_audio_is_skipped_counted_and_the_rest_kept(load, tmp_path):
    shutil.copy(DEMO / "goforward.wav", tmp_path)
    (tmp_path / "zero.wav").write_bytes(b"")
    (tmp_path / "transcript.mp3").write_bytes((DEMO / "reference" / "librivox.transcription").read_bytes())
    flac = (DEMO / "sense_and_sensibility_0880.flac").read_bytes()
    (tmp_path / "header_only.flac").write_bytes(flac[:40])
    with wave.open(str(tmp_path / "silent.wav"), "wb") as w:  # a valid WAV with no frames
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16_000)
    built = load("speech", sorted(tmp_path.glob("*.*")), max_seconds=60)
    assert built.dataset["text"] == ["go forward ten meters"]
    assert built.skips.counts == {"empty file": 1, "corrupt or unsupported audio": 2, "audio has no samples": 1}


def test_long_recordings_are_skipped(load, tmp_path):
    shutil.copy(DEMO / "goforward.wav", tmp_path)
    shutil.copy(DEMO / "sense_and_sensibility_0930.mp3", tmp_path)
    built = load("speech", sorted(tmp_path.iterdir()), max_seconds=3.0)
    assert built.skips.counts == {"audio longer than max_seconds=3.0": 1}
    assert [d["meta"]["file"] for d in built.dataset] == ["goforward.wav"]


def test_unknown_recogniser_is_a_user_error(load):
    with pytest.raises(UserError, match="unknown recognizer 'kaldi'; choose one of pocketsphinx, whisper"):
        load("speech", [DEMO / "goforward.wav"], recognizer="kaldi")


@pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is not None, reason="faster-whisper is installed")
def test_whisper_without_its_extra_names_the_extra(load):
    with pytest.raises(UserError, match=r"bigscience-corpus\[whisper\]"):
        load("speech", [DEMO / "goforward.wav"], recognizer="whisper")
