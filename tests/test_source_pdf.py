"""The pdf loader on its demo data (pages of the French Debian Reference PDF) and on damaged copies of it."""
import io
import re
import shutil

import pytest
from pypdf import PdfReader, PdfWriter

from bigscience_corpus.catalogue import PACKAGE_DIR
from bigscience_corpus.loaders.pdf import NO_TEXT_LAYER, letter_ratio
from bigscience_corpus.schema import digest

FIXTURE = PACKAGE_DIR / "demo_data" / "pdf" / "reference_fr_p31-33.pdf"
SCAN = PACKAGE_DIR / "demo_data" / "ocr" / "reference_fr_p34_scan.pdf"


def test_one_document_per_pdf_with_page_offsets(load):
    built = load("pdf", [FIXTURE], lang="fr")
    assert built.skips.total == 0
    (doc,) = built.dataset
    assert doc["id"] == "pdf/" + digest(FIXTURE.name)  # the key is the path relative to the inputs' folder
    assert doc["lang"] == "fr" and doc["meta"]["file"] == FIXTURE.name and doc["meta"]["pages"] == 3
    offsets = doc["meta"]["page_offsets"] + [len(doc["text"])]
    pages = [doc["text"][a:b] for a, b in zip(offsets, offsets[1:])]
    # The cut pages are pages 3, 4 and 5 of 237 of the manual's body: each slice starts with its own running
    # header (read on the rendered pages).
    for number, page in zip((3, 4, 5), pages):
        assert re.match(rf"Référence Debian {number} / 237\n", page), page[:40]
    # pypdf, an independent extractor, finds the same text on each page (it drops some spaces: compare the
    # text without spaces).
    for reader_page, page in zip(PdfReader(FIXTURE).pages, pages):
        words = set(re.findall(r"\w{8,}", reader_page.extract_text()))
        found = [w for w in words if w in re.sub(r"\s", "", page)]
        assert len(found) >= 0.9 * len(words) and len(words) > 20


def test_image_only_pdf_is_reported_for_ocr(load, tmp_path):
    shutil.copy(FIXTURE, tmp_path)
    shutil.copy(SCAN, tmp_path)
    built = load("pdf", sorted(tmp_path.glob("*.pdf")))
    assert [d["meta"]["file"] for d in built.dataset] == [FIXTURE.name]
    assert built.skips.counts == {NO_TEXT_LAYER: 1}
    assert built.skips.samples[NO_TEXT_LAYER] == [SCAN.name]


def encrypted_copy(password: str) -> bytes:
    writer = PdfWriter(clone_from=FIXTURE)
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_skipped_without_its_password_and_read_with_it(load, tmp_path):
    (tmp_path / "locked.pdf").write_bytes(encrypted_copy("secret"))
    shutil.copy(FIXTURE, tmp_path / "plain.pdf")
    built = load("pdf", [tmp_path / "locked.pdf", tmp_path / "plain.pdf"])
    assert built.skips.counts == {"encrypted PDF (needs a password)": 1}
    assert [d["meta"]["file"] for d in built.dataset] == ["plain.pdf"]
    unlocked = load("pdf", [tmp_path / "locked.pdf"], password="secret")
    assert unlocked.dataset[0]["text"] == built.dataset[0]["text"]


def test_broken_truncated_and_empty_files_are_skipped_and_the_rest_kept(load, tmp_path):
    data = FIXTURE.read_bytes()
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "not-a-pdf.pdf").write_bytes((PACKAGE_DIR / "demo_data" / "ocr" / "reference_fr_p32.png").read_bytes())
    (tmp_path / "good.pdf").write_bytes(data)
    built = load("pdf", sorted(tmp_path.iterdir()))
    assert built.skips.counts == {"broken PDF (PDFium cannot parse it)": 3}
    assert [d["meta"]["file"] for d in built.dataset] == ["good.pdf"]


def test_letter_ratio_tells_text_from_unmapped_glyphs():
    text = PdfReader(FIXTURE).pages[0].extract_text()
    # A font without a Unicode map gives glyph ids: private-use code points, one per character.
    unmapped = "".join(c if c.isspace() else chr(0xE000 + ord(c) % 0x1000) for c in text)
    assert letter_ratio(text) > 0.7
    assert letter_ratio(unmapped) == 0.0
    assert letter_ratio("") == 0.0


def test_a_pdf_without_pages_is_skipped(load, tmp_path):
    # PDFium refuses a document with an empty page tree as malformed.
    with open(tmp_path / "nothing.pdf", "wb") as f:
        PdfWriter().write(f)
    shutil.copy(FIXTURE, tmp_path)
    built = load("pdf", [tmp_path / "nothing.pdf", tmp_path / FIXTURE.name])
    assert len(built.dataset) == 1 and built.skips.counts == {"broken PDF (PDFium cannot parse it)": 1}


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs the tesseract program")
def test_image_only_pdf_is_read_with_ocr_when_asked(load, tmp_path):
    shutil.copy(FIXTURE, tmp_path)
    shutil.copy(SCAN, tmp_path)
    built = load("pdf", sorted(tmp_path.glob("*.pdf")), lang="fr", ocr_languages=["fr"])
    assert built.skips.total == 0
    docs = {d["meta"]["file"]: d for d in built.dataset}
    assert docs[FIXTURE.name]["meta"]["ocr"] is False
    scan = docs[SCAN.name]
    assert scan["meta"]["ocr"] is True and scan["meta"]["confidence"] > 60 and scan["meta"]["page_offsets"] == [0]
    # The running header of page 6 of 237 of the manual's body (read on the rendered page).
    assert re.match(r"Référence Debian 6 ?/ ?237", scan["text"])
