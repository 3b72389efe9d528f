"""Records/s of the web-side loaders (warc, wikipedia, hub), and the WARC loader against a warcio-based reader.

1. Each loader on its fixture scaled up (`--repeat` copies), end to end through `build_source` (reading,
   extraction, Arrow writing): records/s.
2. Each loader on real multilingual text: the first `--limit` documents of the shared bench corpus written in
   the loader's format (an HTML crawl, one gzip-member `response` record per document; a bz2 MediaWiki dump, one
   page per document with wikitext markup; a parquet folder in Hub layout).
3. WARC: the same crawl read with the `warc` loader (FastWARC), with FastWARC alone and with warcio alone (the
   baseline, the reader most WARC tools use), all three extracting the main text with Resiliparse the same way;
   plus the bare record iteration of both readers. Ratios are FastWARC / warcio.

    pip install -e '.[bench]'
    python bench/loaders.py --limit 2000 --repeat 20      # a quick run
    python bench/loaders.py                               # the whole corpus (28,701 documents)

The last line printed is one JSON object of figures.
"""
from __future__ import annotations

import argparse
import bz2
import gzip
import html
import io
import json
import lzma
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.parquet as pq

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, get_source
from bigscience_corpus.loaders.warc import decode_html

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO_ROOT / ".." / "shared" / "bench" / "doc_corpus.jsonl.xz"
DEMO = PACKAGE_DIR / "demo_data"


def timed(work: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    count = work()
    return count, time.perf_counter() - start


def run_loader(name: str, options: dict[str, Any], cache: Path) -> int:
    shutil.rmtree(cache, ignore_errors=True)
    return len(build_source(name, options, cache_dir=str(cache)).dataset)


# --- scaled-up fixtures -------------------------------------------------------------------------------------

def scaled_warc(out: Path, repeat: int) -> Path:
    # A .warc.gz is a series of gzip members: copies of the file concatenated are a valid, longer crawl.
    data = (DEMO / "warc" / "crawl.warc.gz").read_bytes()
    path = out / "scaled.warc.gz"
    path.write_bytes(data * repeat)
    return path


def scaled_wikipedia(out: Path, repeat: int) -> Path:
    xml = bz2.decompress(next((DEMO / "wikipedia").glob("*.xml.bz2")).read_bytes()).decode("utf-8")
    head, _, rest = xml.partition("  <page>")
    pages, _, tail = ("  <page>" + rest).rpartition("</page>")
    pages += "</page>\n"
    copies = [re.sub(r"<id>(\d+)</id>", lambda m: f"<id>{int(m.group(1)) + 1_000_000 * i}</id>", pages)
              for i in range(repeat)]
    path = out / "scaled-pages-articles.xml.bz2"
    path.write_bytes(bz2.compress((head + "".join(copies) + tail).encode("utf-8"), 1))
    return path


def scaled_hub(out: Path, repeat: int) -> Path:
    table = pq.read_table(next((DEMO / "hub" / "demo-text" / "udhr").glob("*.parquet")))
    folder = out / "scaled-hub"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.concat_tables([table] * repeat), folder / "data" / "train-00000-of-00001.parquet")
    return folder


# --- WARC on the bench corpus -------------------------------------------------------------------------------

def corpus_warc(docs: list[dict[str, str]], out: Path) -> Path:
    """The corpus documents as HTML pages in a .warc.gz, one gzip member per record, as crawlers write them."""
    path = out / "corpus.warc.gz"
    with open(path, "wb") as warc:
        for doc in docs:
            paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in doc["text"].split("\n\n") if p.strip())
            page = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(doc['id'])}</title>"
                    f"</head><body><nav><a href=\"/\">Home</a></nav><main>{paragraphs}</main></body></html>")
            body = page.encode("utf-8")
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body)) + body
            url = f"http://{doc['source'].replace('_', '-')}.bench.test/{doc['id']}"
            record_id = uuid.uuid5(uuid.NAMESPACE_URL, url)
            header = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
                      f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
                      f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
            warc.write(gzip.compress(header.encode("ascii") + http + b"\r\n\r\n", compresslevel=6, mtime=0))
    return path


def corpus_documents(corpus: Path, limit: int | None) -> list[dict[str, str]]:
    with lzma.open(corpus, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(limit) if limit is not None else iter(int, 1), lines)]


def corpus_wikipedia(docs: list[dict[str, str]], out: Path) -> Path:
    """The documents as articles of a MediaWiki dump: a heading, a reference and a category around the text."""
    head = bz2.decompress(next((DEMO / "wikipedia").glob("*.xml.bz2")).read_bytes()).decode("utf-8")
    head = head[:head.index("  <page>")]
    path = out / "corpus-pages-articles.xml.bz2"
    with bz2.open(path, "wt", encoding="utf-8", compresslevel=1) as dump:
        dump.write(head)
        for page_id, doc in enumerate(docs, start=1):
            first, _, rest = doc["text"].partition("\n\n")
            wikitext = (f"{{{{Infobox|source={doc['source']}}}}}\n{first}<ref>{doc['id']}</ref>\n\n"
                        f"== {doc['source']} ==\n{rest}\n\n[[Catégorie:{doc['source']}]]")
            dump.write(f"  <page>\n    <title>{html.escape(doc['id'])}</title>\n    <ns>0</ns>\n"
                       f"    <id>{page_id}</id>\n    <revision>\n      <id>{page_id}</id>\n"
                       f"      <timestamp>2024-01-01T00:00:00Z</timestamp>\n"
                       f"      <text xml:space=\"preserve\">{html.escape(wikitext, quote=False)}</text>\n"
                       f"    </revision>\n  </page>\n")
        dump.write("</mediawiki>\n")
    return path


def corpus_hub(docs: list[dict[str, str]], out: Path) -> Path:
    folder = out / "corpus-hub"
    (folder / "data").mkdir(parents=True)
    table = pa.table({key: [d[key] for d in docs] for key in ("id", "text", "source")})
    half = len(docs) // 2
    pq.write_table(table.slice(0, half), folder / "data" / "train-00000-of-00002.parquet")
    pq.write_table(table.slice(half), folder / "data" / "train-00001-of-00002.parquet")
    return folder


def extract(body: bytes, charset: str | None) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    decoded = decode_html(body, charset)
    return extract_plain_text(HTMLTree.parse(decoded[0]), main_content=True, preserve_formatting=True,
                              list_bullets=False) if decoded else ""


def fastwarc_reader(path: Path, with_text: bool) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    count = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
            body = record.reader.read()
            if with_text and record.http_headers.status_code == 200 and \
                    (record.http_content_type or "").startswith("text/html"):
                count += bool(extract(body, record.http_charset))
            else:
                count += 1
    return count


def warcio_reader(path: Path, with_text: bool) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            body = record.content_stream().read()
            content_type = record.http_headers.get_header("Content-Type") or ""
            if with_text and record.http_headers.get_statuscode() == "200" and content_type.startswith("text/html"):
                charset = re.search(r"charset=([\w-]+)", content_type)
                count += bool(extract(body, charset.group(1) if charset else None))
            else:
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="bench corpus (JSONL, xz)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N corpus documents")
    parser.add_argument("--repeat", type=int, default=50, help="copies of each fixture in the scaled-up inputs")
    args = parser.parse_args()
    figures: dict[str, Any] = {"repeat": args.repeat}
    with tempfile.TemporaryDirectory(prefix="bench-loaders-") as tmp:
        out = Path(tmp)
        runs = {"warc": {"data_files": [str(scaled_warc(out, args.repeat))]},
                "wikipedia": {"data_files": [str(scaled_wikipedia(out, args.repeat))], "language": "fr"},
                "hub": {"dataset_id": str(scaled_hub(out, args.repeat)), "text_column": "content",
                        "id_column": "doc_id", "lang_column": "language"}}
        for name, options in runs.items():
            # Warm up (imports, first builder) on the plain fixture, so the timing is the loader's own work.
            build_source(name, get_source(name).fixture, cache_dir=str(out / "warmup"), base_dir=PACKAGE_DIR)
            count, seconds = timed(lambda: run_loader(name, options, out / "cache"))
            figures[f"{name}_fixture_records_per_s"] = round(count / seconds, 1)
            print(f"{name:<10} fixture x{args.repeat}: {count} records in {seconds:.2f} s = {count / seconds:,.0f}/s")

        corpus = corpus_documents(Path(args.input), args.limit)
        docs = len(corpus)
        warc = corpus_warc(corpus, out)
        figures["corpus_documents"] = docs
        print(f"\n{docs} bench-corpus documents in each loader's format")
        runs = {"wikipedia": {"data_files": [str(corpus_wikipedia(corpus, out))], "language": "fr"},
                "hub": {"dataset_id": str(corpus_hub(corpus, out))}}
        for name, options in runs.items():
            count, seconds = timed(lambda: run_loader(name, options, out / "cache"))
            assert count == docs, (name, count, docs)
            figures[f"{name}_corpus_records_per_s"] = round(count / seconds, 1)
            print(f"  {name:<17} {seconds:7.2f} s  {count / seconds:9,.0f} records/s")
        print(f"WARC ({warc.stat().st_size / 1e6:.1f} MB gzip)")
        figures["warc_mb"] = round(warc.stat().st_size / 1e6, 1)
        results = {
            "loader": timed(lambda: run_loader("warc", {"data_files": [str(warc)]}, out / "cache")),
            "fastwarc_extract": timed(lambda: fastwarc_reader(warc, True)),
            "warcio_extract": timed(lambda: warcio_reader(warc, True)),
            "fastwarc_iterate": timed(lambda: fastwarc_reader(warc, False)),
            "warcio_iterate": timed(lambda: warcio_reader(warc, False)),
        }
        for label, (count, seconds) in results.items():
            assert count == docs, (label, count, docs)
            figures[f"warc_{label}_records_per_s"] = round(count / seconds, 1)
            print(f"  {label:<17} {seconds:7.2f} s  {count / seconds:9,.0f} records/s")
        rate = {label: count / seconds for label, (count, seconds) in results.items()}
        figures["ratio_loader_vs_warcio_extract"] = round(rate["loader"] / rate["warcio_extract"], 2)
        figures["ratio_fastwarc_vs_warcio_extract"] = round(rate["fastwarc_extract"] / rate["warcio_extract"], 2)
        figures["ratio_fastwarc_vs_warcio_iterate"] = round(rate["fastwarc_iterate"] / rate["warcio_iterate"], 2)
        print(f"  ratios (FastWARC / warcio): loader {figures['ratio_loader_vs_warcio_extract']}x, "
              f"reader+extraction {figures['ratio_fastwarc_vs_warcio_extract']}x, "
              f"iteration only {figures['ratio_fastwarc_vs_warcio_iterate']}x")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
