"""Speech: audio files (WAV, FLAC, MP3, OGG) transcribed offline; the recogniser is chosen by name."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

import numpy as np

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.errors import UserError
from bigscience_corpus.extras import require
from bigscience_corpus.io import common_root, relative
from bigscience_corpus.schema import document

FIXTURE = {"data_files": "demo_data/speech/*", "lang": "en"}

#: Both recognisers below expect 16 kHz mono audio.
SAMPLE_RATE = 16_000

#: A recogniser maps 16 kHz mono float32 samples in [-1, 1] to text.
Recogniser = Callable[[np.ndarray], str]


@lru_cache(maxsize=None)
def pocketsphinx(lang: str, model: str | None) -> Recogniser:
    """CMU PocketSphinx with the US English model its wheel ships (or another model folder, `model`)."""
    import pocketsphinx as ps
    if model is None and lang not in ("en", "en-US"):
        raise UserError(f"pocketsphinx ships an English model only; give `model` (a model folder) for {lang!r}")
    decoder = ps.Decoder(samprate=SAMPLE_RATE, **({"hmm": model} if model else {}), loglevel="FATAL")

    def recognise(samples: np.ndarray) -> str:
        decoder.start_utt()
        decoder.process_raw((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        return hypothesis.hypstr if hypothesis else ""

    return recognise


@lru_cache(maxsize=None)
def whisper(lang: str, model: str | None) -> Recogniser:
    """OpenAI Whisper through faster-whisper, where it and a model are installed (not bundled: large)."""
    fw = require("faster_whisper", "whisper")
    engine = fw.WhisperModel(model or "small", device="cpu", compute_type="int8")

    def recognise(samples: np.ndarray) -> str:
        segments, _ = engine.transcribe(samples, language=lang.split("-")[0])
        return " ".join(s.text.strip() for s in segments)

    return recognise


RECOGNISERS: dict[str, Callable[[str, str | None], Recogniser]] = {"pocketsphinx": pocketsphinx, "whisper": whisper}


def read_audio(path: str) -> tuple[np.ndarray, int]:
    """(mono float32 samples, original sample rate); undecodable audio raises ValueError."""
    import soundfile as sf
    try:
        samples, rate = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        raise ValueError("corrupt or unsupported audio") from err
    return samples.mean(axis=1), rate


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Linear-interpolation resampling: enough for speech recognition, not for listening."""
    if rate == target or not len(samples):
        return samples
    positions = np.arange(int(len(samples) * target / rate)) * rate / target
    return np.interp(positions, np.arange(len(samples)), samples).astype("float32")


@dataclass
class SpeechConfig(SourceConfig):
    """Args:
        lang: BCP-47 language spoken in the files.
        recognizer: a name in `RECOGNISERS` (`pocketsphinx`, offline English; `whisper` if installed).
        model: the recogniser's model (folder or name); its default when None.
        max_seconds: longer recordings are skipped (pocketsphinx decodes one utterance at a time).
    """

    lang: str = "en"
    recognizer: str = "pocketsphinx"
    model: str | None = None
    max_seconds: float = 600.0


class Speech(SourceBuilder):
    """One document per audio file: its transcript, with duration and recogniser in meta."""

    BUILDER_CONFIG_CLASS = SpeechConfig

    def _shards(self) -> list[str]:
        # An unknown recogniser or a missing extra is a user error, reported before any file is read.
        self._recogniser()
        return self.input_files()

    def _recogniser(self) -> Recogniser:
        cfg = self.config
        if cfg.recognizer not in RECOGNISERS:
            raise UserError(f"unknown recognizer {cfg.recognizer!r}; choose one of {', '.join(RECOGNISERS)}")
        return RECOGNISERS[cfg.recognizer](cfg.lang, cfg.model)

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        cfg = self.config
        name = relative(path, common_root(self.input_files()))
        if os.path.getsize(path) == 0:
            self.skip("empty file", name)
            return
        try:
            samples, rate = read_audio(path)
        except ValueError as err:
            self.skip(str(err), name)
            return
        duration = len(samples) / rate
        if not len(samples):
            self.skip("audio has no samples", name)
        elif duration > cfg.max_seconds:
            self.skip(f"audio longer than max_seconds={cfg.max_seconds}", name)
        else:
            text = self._recogniser()(resample(samples, rate)).strip()
            if not text:
                self.skip("no speech recognised", name)
            else:
                yield document(self.SOURCE, name, text, cfg.lang, None,
                               {"file": name, "duration_s": round(duration, 3), "sample_rate": rate,
                                "recognizer": cfg.recognizer, "model": cfg.model or "default"})
