"""The ocr loader on its demo data (Debian Reference pages rendered as a PNG and as an image-only PDF) and on
damaged images. Needs the tesseract program with its French model (`apt-get install tesseract-ocr-fra`)."""
import re
import shutil
import struct
import zlib

import pytest
from PIL import Image

from bigscience_corpus.catalogue import PACKAGE_DIR
from bigscience_corpus.errors import UserError
from bigscience_corpus.loaders.ocr import tesseract_langs

DEMO = PACKAGE_DIR / "demo_data" / "ocr"
PNG = DEMO / "reference_fr_p32.png"
SCAN = DEMO / "reference_fr_p34_scan.pdf"
#: The same page as PNG, with its text layer: page 2 of the pdf loader's demo PDF.
PDF_WITH_TEXT = PACKAGE_DIR / "demo_data" / "pdf" / "reference_fr_p31-33.pdf"

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs the tesseract program")


def words(text: str) -> set[str]:
    return set(re.findall(r"\w{6,}", text.lower()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from bigscience_corpus.catalogue import build_source

    cache = tmp_path_factory.mktemp("cache")
    return build_source("ocr", {"data_files": [str(PNG), str(SCAN)], "languages": ["fr"]}, cache_dir=str(cache))


def test_page_image_text_matches_the_pdf_text_layer(demo, load):
    docs = {d["meta"]["file"]: d for d in demo.dataset}
    page = docs[PNG.name]
    assert page["lang"] == "fr" and page["meta"]["tesseract_langs"] == "fra" and page["meta"]["pages"] == 1
    assert page["meta"]["recogniser"].startswith("tesseract ")
    assert 60 < page["meta"]["confidence"] <= 100 and page["meta"]["page_confidences"] == [page["meta"]["confidence"]]
    layer = load("pdf", [PDF_WITH_TEXT]).dataset[0]
    start, end = layer["meta"]["page_offsets"][1:3]
    expected = words(layer["text"][start:end])
    assert len(expected) > 50
    assert len(words(page["text"]) & expected) >= 0.9 * len(expected)


def test_image_only_pdf_is_read(demo):
    scan = next(d for d in demo.dataset if d["meta"]["file"] == SCAN.name)
    # The running header of page 6 of 237 of the manual's body (read on the rendered page).
    assert re.match(r"Référence Debian 6 ?/ ?237", scan["text"])
    assert "périphériques" in scan["text"] and scan["meta"]["confidence"] > 60
    assert demo.skips.total == 0


def png_with_declared_size(width: int, height: int) -> bytes:
    """A real PNG whose header claims another size: what a decompression bomb looks like before decoding."""
    data = bytearray(PNG.read_bytes())
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", zlib.crc32(bytes(data[ihdr - 4:ihdr + 13])))
    return bytes(data)


def test_bad_images_are_skipped_counted_and_the_rest_kept(load, tmp_path):
    header = Image.open(PNG).crop((0, 0, 1240, 160))  # the page's running header: quick to read
    header.save(tmp_path / "header.tiff")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "truncated.png").write_bytes(PNG.read_bytes()[:20_000])
    (tmp_path / "not-an-image.jpg").write_bytes(PDF_WITH_TEXT.read_bytes()[:5000])
    (tmp_path / "bomb.png").write_bytes(png_with_declared_size(100_000, 100_000))
    (tmp_path / "wide.png").write_bytes(png_with_declared_size(20_000, 5_000))  # under Pillow's own limit
    built = load("ocr", sorted(tmp_path.iterdir()), languages=["fr"], max_pixels=50_000_000)
    assert built.skips.counts == {"empty file": 1, "corrupt or unreadable image": 2,
                                  "image larger than max_pixels=50000000": 2}
    (doc,) = built.dataset
    assert doc["meta"]["file"] == "header.tiff" and "Référence Debian" in doc["text"]


def test_languages_map_to_tesseract_models():
    assert tesseract_langs(["fr", "en"]) == "fra+eng"
    with pytest.raises(UserError, match="apt-get install tesseract-ocr-chi-sim"):
        tesseract_langs(["zh-Hans"])


def test_multi_frame_tiff_is_one_document(load, tmp_path):
    page = Image.open(PNG)
    frames = [page.crop((0, top, 1240, top + 160)) for top in (0, 160)]
    frames[0].save(tmp_path / "two.tiff", save_all=True, append_images=frames[1:])
    (doc,) = load("ocr", [tmp_path / "two.tiff"], languages=["fr"]).dataset
    assert doc["meta"]["pages"] == 2 and len(doc["meta"]["page_confidences"]) == 2
    second = doc["meta"]["page_offsets"][1]
    assert doc["meta"]["page_offsets"][0] == 0 and doc["text"][second - 2:second] == "\n\n"
    assert doc["text"].startswith("Référence Debian") and not doc["text"][second:].startswith("Référence")
