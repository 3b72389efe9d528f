"""PDF collections: one document per PDF from its text layer (PDFium, Apache-2.0), with page offsets in meta."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import pypdfium2 as pdfium

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.io import common_root, relative
from bigscience_corpus.schema import document

FIXTURE = {"data_files": "demo_data/pdf/*.pdf", "lang": "fr"}

BROKEN = "broken PDF (PDFium cannot parse it)"
#: Skip reason of PDFs without a usable text layer; the `ocr` loader reads exactly these files.
NO_TEXT_LAYER = "no usable text layer (image-only or garbage; set ocr_languages, or load with the ocr loader)"


def letter_ratio(text: str) -> float:
    """Share of letters among the visible characters: text layers of fonts without a Unicode map come out as
    symbols, digits or private-use characters, which this catches."""
    visible = [c for c in text if not c.isspace()]
    return sum(c.isalpha() for c in visible) / len(visible) if visible else 0.0


def open_pdf(path: str, password: str | None = None) -> Any:
    """A `pypdfium2.PdfDocument`; a `ValueError` says why a PDF cannot be opened (the caller skips it)."""
    try:
        return pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise ValueError("encrypted PDF (needs a password)") from None
        raise ValueError(BROKEN) from None


@dataclass
class PdfConfig(SourceConfig):
    """Args:
        lang: BCP-47 language of the documents.
        password: tried on encrypted PDFs (those it does not open are skipped and reported).
        min_chars_per_page: a PDF with fewer text-layer characters per page on average has no usable text layer.
        min_letter_ratio: a text layer with a lower share of letters among visible characters is garbage.
        ocr_languages: when set (BCP-47 tags), PDFs without a usable text layer are read with Tesseract in these
            languages, as the `ocr` loader does (its extra and the tesseract program needed), instead of skipped.
    """

    lang: str = "und"
    password: str | None = None
    min_chars_per_page: int = 20
    min_letter_ratio: float = 0.5
    ocr_languages: list[str] | None = None


class Pdf(SourceBuilder):
    """One document per PDF: pages' text joined by blank lines; `meta.page_offsets[i]` is where page i+1 starts."""

    BUILDER_CONFIG_CLASS = PdfConfig

    def _shards(self) -> list[str]:
        if self.config.ocr_languages:
            from . import ocr  # imported when used (it imports this module)

            ocr.tesseract_langs(self.config.ocr_languages)  # missing models are a user error, before any work
        return self.input_files()

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        cfg = self.config
        name = relative(path, common_root(self.input_files()))
        try:
            pdf = open_pdf(path, cfg.password)
        except ValueError as err:
            self.skip(str(err), name)
            return
        try:
            pages, offsets, parts, length = len(pdf), [], [], 0
            for number in range(pages):
                page = pdf[number]
                textpage = page.get_textpage()
                # PDFium ends lines with CRLF; pages are separated by a blank line.
                parts.append(textpage.get_text_bounded().replace("\r\n", "\n").strip() + "\n\n")
                offsets.append(length)
                length += len(parts[-1])
                textpage.close()
                page.close()
            metadata = {k.lower(): v for k, v in pdf.get_metadata_dict(skip_empty=True).items()
                        if k in ("Title", "Author", "Subject", "CreationDate")}
        except pdfium.PdfiumError:  # a page PDFium opened the document for but cannot load
            self.skip(BROKEN, name)
            return
        finally:
            pdf.close()
        text = "".join(parts).rstrip()
        if pages and len(text) / pages >= cfg.min_chars_per_page and letter_ratio(text) >= cfg.min_letter_ratio:
            yield document(self.SOURCE, name, text, cfg.lang, None,
                           {"file": name, "pages": pages, "page_offsets": offsets, "ocr": False, **metadata})
        elif cfg.ocr_languages:
            from . import ocr

            try:
                text, meta = ocr.read_pages(ocr.pdf_page_images(path, ocr.OcrConfig.dpi, ocr.OcrConfig.max_pixels),
                                            ocr.tesseract_langs(cfg.ocr_languages), ocr.OcrConfig.min_confidence)
            except ValueError as err:
                self.skip(str(err), name)
                return
            yield document(self.SOURCE, name, text, cfg.lang, None, {"file": name, **meta, "ocr": True, **metadata})
        else:
            self.skip(NO_TEXT_LAYER, name)
