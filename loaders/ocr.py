"""Scanned pages (PNG, JPEG, TIFF) and image-only PDFs, read with Tesseract in the source's declared languages."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Iterator

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.errors import UserError
from bigscience_corpus.io import common_root, relative
from bigscience_corpus.schema import document

from .pdf import open_pdf

FIXTURE = {"data_files": "demo_data/ocr/*", "languages": ["fr"]}

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
#: BCP-47 -> Tesseract traineddata name, for the BigScience languages and a few more. Tags not listed pass
#: through unchanged, so a user can name any installed Tesseract model (`deu_latf`) directly.
TESSERACT_LANGS = {
    "ar": "ara", "as": "asm", "bn": "ben", "ca": "cat", "de": "deu", "en": "eng", "es": "spa", "eu": "eus",
    "fr": "fra", "gu": "guj", "hi": "hin", "id": "ind", "it": "ita", "ja": "jpn", "kn": "kan", "ko": "kor",
    "ml": "mal", "mr": "mar", "ne": "nep", "or": "ori", "pa": "pan", "pt": "por", "ru": "rus", "sw": "swa",
    "ta": "tam", "te": "tel", "ur": "urd", "vi": "vie", "yo": "yor", "zh-Hans": "chi_sim", "zh-Hant": "chi_tra",
}


def tesseract_langs(languages: list[str]) -> str:
    """The `-l` argument for BCP-47 tags, e.g. ["fr", "ar"] -> "fra+ara"; missing models are a user error."""
    wanted = [TESSERACT_LANGS.get(tag, tag) for tag in languages]
    missing = [code for code in wanted if code not in installed_models()]
    if missing:
        raise UserError(f"Tesseract has no model for {missing}; install it, e.g. "
                        f"`apt-get install {' '.join('tesseract-ocr-' + m.replace('_', '-') for m in missing)}`")
    return "+".join(wanted)


@lru_cache(maxsize=1)
def installed_models() -> frozenset[str]:
    if shutil.which("tesseract") is None:
        raise UserError("the ocr loader needs the tesseract program: `apt-get install tesseract-ocr`")
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=True).stdout
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def recognise(png: bytes, langs: str) -> tuple[str, float | None]:
    """(text, mean word confidence 0-100) of one page image, from Tesseract's TSV output: words are joined by
    spaces, lines by newlines and paragraphs by blank lines, as printed."""
    # One OpenMP thread per page: parallelism comes from `num_proc`, and threads only contend on shared cores.
    result = subprocess.run(["tesseract", "stdin", "stdout", "-l", langs, "tsv"], input=png, capture_output=True,
                            env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    if result.returncode:
        raise ValueError(f"tesseract failed: {result.stderr.decode(errors='replace').strip()[:200]}")
    paragraphs: dict[tuple[str, ...], dict[tuple[str, ...], list[str]]] = {}
    confidences = []
    for row in result.stdout.decode("utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():  # level 5 = word
            continue
        paragraphs.setdefault(tuple(cols[2:4]), {}).setdefault(tuple(cols[2:5]), []).append(cols[11])
        confidences.append(float(cols[10]))
    text = "\n\n".join("\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values())
    return text, (sum(confidences) / len(confidences) if confidences else None)


def read_pages(pages: Iterable[bytes], langs: str, min_confidence: float) -> tuple[str, dict[str, Any]]:
    """(text, meta) of a document's page images; a ValueError says why it is unusable (unreadable pages, no
    text, or a mean confidence below `min_confidence`)."""
    texts, confidences = [], []
    for png in pages:
        text, confidence = recognise(png, langs)
        texts.append(text)
        confidences.append(confidence)
    scored = [c for c in confidences if c is not None]
    mean = round(sum(scored) / len(scored), 1) if scored else None
    if not any(t.strip() for t in texts):
        raise ValueError("no text recognised")
    if mean is None or mean < min_confidence:
        raise ValueError(f"mean OCR confidence below min_confidence={min_confidence}")
    pages_text = [t.strip() for t in texts]
    offsets = [sum(len(t) + 2 for t in pages_text[:i]) for i in range(len(pages_text))]
    return "\n\n".join(pages_text), {
        "pages": len(texts), "page_offsets": offsets, "confidence": mean,
        "page_confidences": [c if c is None else round(c, 1) for c in confidences],
        "tesseract_langs": langs, "recogniser": f"tesseract {tesseract_version()}"}


def image_pages(path: str, max_pixels: int) -> Iterator[bytes]:
    """PNG bytes of each frame, in grayscale; a corrupt, truncated or oversized image raises ValueError."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    with warnings.catch_warnings():
        # Our own max_pixels check below replaces Pillow's warning; its hard limit stays as a backstop.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                for frame in ImageSequence.Iterator(image):
                    width, height = frame.size
                    if width * height > max_pixels:
                        raise ValueError(f"image larger than max_pixels={max_pixels}")
                    out = io.BytesIO()
                    frame.convert("L").save(out, "PNG")
                    yield out.getvalue()
        except Image.DecompressionBombError:
            raise ValueError(f"image larger than max_pixels={max_pixels}") from None
        except (UnidentifiedImageError, OSError, SyntaxError):
            # Pillow reports damaged files as OSError ("truncated") or SyntaxError (bad headers).
            raise ValueError("corrupt or unreadable image") from None


def pdf_page_images(path: str, dpi: int, max_pixels: int) -> Iterator[bytes]:
    """PNG bytes of each PDF page rendered in grayscale at `dpi`; a page too large raises ValueError."""
    pdf = open_pdf(path)
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            width, height = (side * dpi / 72 for side in page.get_size())
            if width * height > max_pixels:
                raise ValueError(f"image larger than max_pixels={max_pixels}")
            out = io.BytesIO()
            page.render(scale=dpi / 72, grayscale=True).to_pil().save(out, "PNG")
            page.close()
            yield out.getvalue()
    finally:
        pdf.close()


@dataclass
class OcrConfig(SourceConfig):
    """Args:
        languages: BCP-47 tags of the pages' languages; they choose the Tesseract models (`fra+ara`...).
        dpi: resolution image-only PDF pages are rendered at.
        max_pixels: larger images (declared width x height) are refused: a decompression bomb otherwise.
        min_confidence: documents with a lower mean word confidence (0-100) are skipped as unreadable.
    """

    languages: list[str] = field(default_factory=lambda: ["en"])
    dpi: int = 200
    max_pixels: int = 60_000_000
    min_confidence: float = 30.0


class Ocr(SourceBuilder):
    """One document per image file or PDF (every frame or page OCRed); confidence per page in meta."""

    BUILDER_CONFIG_CLASS = OcrConfig

    def _shards(self) -> list[str]:
        # A missing tesseract program or language model is a user error, reported before any file is read.
        tesseract_langs(self.config.languages)
        return self.input_files()

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        cfg = self.config
        name = relative(path, common_root(self.input_files()))
        langs = tesseract_langs(cfg.languages)
        if os.path.getsize(path) == 0:
            self.skip("empty file", name)
            return
        suffix = os.path.splitext(path)[1].lower()
        if suffix == ".pdf":
            pages = pdf_page_images(path, cfg.dpi, cfg.max_pixels)
        elif suffix in IMAGE_SUFFIXES:
            pages = image_pages(path, cfg.max_pixels)
        else:
            self.skip("unsupported file type", name)
            return
        try:
            text, meta = read_pages(pages, langs, cfg.min_confidence)
        except ValueError as err:
            self.skip(str(err), name)
            return
        yield document(self.SOURCE, name, text, cfg.languages[0] if len(cfg.languages) == 1 else "mul", None,
                       {"file": name, **meta})


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
    return out.split()[1] if out.split() else "unknown"
