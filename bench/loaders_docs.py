"""Records/s of the document-modality loaders (pdf, ocr, speech, code), each run through `build_source` as a user
would, on real inputs; the pdf loader against pypdf (text extraction of the same pages) as a baseline.

Inputs: the Debian Reference PDFs (`apt-get install debian-reference-en debian-reference-fr`), cut into 10-page
PDFs; the ocr and speech demo data, copied `--limit` times; the source of the installed `datasets` package as
a code tree. `doc_corpus.jsonl.xz` holds plain text only, so none of these loaders can read it.

    python bench/loaders_docs.py --limit 20
"""
from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import shutil
import tempfile
import time
from pathlib import Path

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source

DEFAULT_PDFS = "/usr/share/debian-reference/debian-reference.*.pdf"
PAGES_PER_PDF = 10


def cut_pdfs(pattern: str, count: int, out: Path) -> list[Path]:
    """`count` PDFs of PAGES_PER_PDF pages each, cut from the input PDFs in turn."""
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(path) for path in sorted(glob.glob(pattern))]
    if not readers:
        raise SystemExit(f"no PDF matches {pattern!r}")
    files = []
    for i in range(count):
        reader = readers[i % len(readers)]
        # From page 20 on: the covers and blank pages before it have no text layer.
        start = 20 + (i // len(readers) * PAGES_PER_PDF) % max(len(reader.pages) - PAGES_PER_PDF - 20, 1)
        writer = PdfWriter()
        for page in reader.pages[start:start + PAGES_PER_PDF]:
            writer.add_page(page)
        files.append(out / f"part{i:03}.pdf")
        with open(files[-1], "wb") as f:
            writer.write(f)
    return files


def copies(folder: Path, pattern: str, count: int, out: Path) -> list[Path]:
    sources = sorted(folder.glob(pattern))
    files = []
    for i in range(count):
        source = sources[i % len(sources)]
        files.append(out / f"{i:03}-{source.name}")
        shutil.copy(source, files[-1])
    return files


def timed_build(name: str, files: list, options: dict, cache: Path) -> dict:
    start = time.perf_counter()
    built = build_source(name, {"data_files": [str(f) for f in files], **options}, cache_dir=str(cache / name))
    seconds = time.perf_counter() - start
    return {"records": len(built.dataset), "skipped": built.skips.total, "seconds": round(seconds, 2),
            "records_per_s": round(len(built.dataset) / seconds, 2)}


def pypdf_baseline(files: list[Path]) -> dict:
    from pypdf import PdfReader

    start = time.perf_counter()
    texts = ["\n\n".join(page.extract_text() for page in PdfReader(f).pages) for f in files]
    seconds = time.perf_counter() - start
    return {"records": len(texts), "seconds": round(seconds, 2), "records_per_s": round(len(texts) / seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=DEFAULT_PDFS, help="PDFs to cut into 10-page documents (glob)")
    parser.add_argument("--limit", type=int, default=20, help="inputs per loader (OCR uses a fifth of it)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for folder in ("pdf", "ocr", "speech", "cache"):
            (tmp / folder).mkdir()
        pdfs = cut_pdfs(args.input, args.limit, tmp / "pdf")
        results["pdf"] = timed_build("pdf", pdfs, {}, tmp / "cache")
        results["pdf_pypdf_baseline"] = pypdf_baseline(pdfs)
        ocr_files = copies(PACKAGE_DIR / "demo_data" / "ocr", "*.png", max(args.limit // 5, 1), tmp / "ocr")
        results["ocr"] = timed_build("ocr", ocr_files, {"languages": ["fr"]}, tmp / "cache")
        speech = copies(PACKAGE_DIR / "demo_data" / "speech", "*.*", args.limit, tmp / "speech")
        results["speech"] = timed_build("speech", speech, {}, tmp / "cache")
        tree = Path(importlib.util.find_spec("datasets").origin).parent
        results["code"] = timed_build("code", [f"{tree}/**/*.py"], {}, tmp / "cache")
    for name, figures in results.items():
        print(f"{name:20} {figures['records']:6} records {figures.get('skipped', 0):5} skipped "
              f"{figures['seconds']:8.2f} s {figures['records_per_s']:10.2f} records/s")
    ratio = results["pdf"]["records_per_s"] / results["pdf_pypdf_baseline"]["records_per_s"]
    print(f"pdf loader / pypdf: {ratio:.2f}x")
    print(json.dumps({"bench": "loaders_docs", "limit": args.limit,
                      **{f"{k}_records_per_s": v["records_per_s"] for k, v in results.items()},
                      "pdf_vs_pypdf": round(ratio, 2), "pdf_pages_per_doc": PAGES_PER_PDF}))


if __name__ == "__main__":
    main()
