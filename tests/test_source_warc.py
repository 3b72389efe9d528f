"""The warc loader on its fixture (a real wget crawl of Debian Reference pages), and on damaged copies of it."""
import gzip
import html.parser
import io
import re
import uuid
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator

from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, get_source
from bigscience_corpus.loaders.warc import bcp47, terms_by_domain

DEMO = PACKAGE_DIR / "demo_data" / "warc"
CRAWL = DEMO / "crawl.warc.gz"
BASE = "http://127.0.0.1:8931"


def load(tmp_path, files, **options):
    return build_source("warc", {"data_files": [str(f) for f in files], **options}, cache_dir=str(tmp_path / "c"))


class Paragraphs(html.parser.HTMLParser):
    """Text of each <p> element, by the standard library's parser (independent of the loader's Resiliparse)."""

    def __init__(self):
        super().__init__()
        self.depth, self.found = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.depth += 1
            self.found.append("")

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def raw_responses():
    """url -> (WARC header block, HTML bytes) of each response record, split by hand from the decompressed file."""
    raw = gzip.decompress(CRAWL.read_bytes())
    found = {}
    for block in raw.split(b"WARC/1.0\r\n")[1:]:
        head, _, rest = block.partition(b"\r\n\r\n")
        if b"WARC-Type: response" in head:
            url = re.search(rb"WARC-Target-URI: <?([^>\r]+)", head).group(1).decode()
            found[url] = (head.decode(), rest.partition(b"\r\n\r\n")[2])
    return found


def page_prose(body):
    paragraphs = Paragraphs()
    paragraphs.feed(body.decode("utf-8"))
    return [" ".join(p.split()) for p in paragraphs.found if len(p.split()) > 8 or len(p) > 60]


def test_fixture_documents_text_and_metadata(tmp_path):
    built = build_source("warc", get_source("warc").fixture, cache_dir=str(tmp_path), base_dir=PACKAGE_DIR)
    docs = {d["url"]: d for d in built.dataset}
    everything = {d["url"]: d for d in load(tmp_path, [CRAWL], main_content=False).dataset}
    pages = [f"{BASE}/reference/{p}.{lang}.html" for p in ("pr01", "apa") for lang in ("en", "fr", "zh-cn")]
    assert sorted(docs) == sorted(pages + [f"{BASE}/", f"{BASE}/reference/",
                                           "http://localhost:8931/reference/pr01.fr.html",
                                           "http://localhost:8931/reference/apa.en.html",
                                           "http://example.com/"])  # from the ARC file
    assert built.skips.counts == {"HTTP status 301": 1, "HTTP status 404": 1, "not HTML": 2,
                                  "revisit record (no payload)": 1}
    raw = raw_responses()
    for url in pages:
        head, body = raw[url]
        doc, page, prose = docs[url], body.decode("utf-8"), page_prose(body)
        # All visible text holds every paragraph; the main-content heuristic drops some (lists, short notes).
        assert prose and all(p in " ".join(everything[url]["text"].split()) for p in prose), url
        kept = [p for p in prose if p in " ".join(doc["text"].split())]
        assert len(kept) >= 0.6 * len(prose) and max(prose, key=len) in kept, url
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert doc["meta"]["title"] == re.sub(r"[ \r\n\t]+", " ", title).strip()
        assert doc["meta"]["warc_record_id"] == re.search(r"WARC-Record-ID: (\S+)", head).group(1)
        assert doc["meta"]["timestamp"] == re.search(r"WARC-Date: (\S+)", head).group(1)
        assert doc["meta"]["domain"] == "127.0.0.1" and doc["meta"]["charset"] == "utf-8"
        assert doc["lang"] == "und" and doc["meta"]["html_lang"] is None  # Debian Reference pages have no lang=
    listing = docs[f"{BASE}/"]
    assert listing["lang"] == "en" and listing["meta"]["title"] == "Directory listing for /"
    assert docs[f"{BASE}/reference/pr01.zh-cn.html"]["meta"]["terms_url"] == f"{BASE}/terms.html"
    assert terms_by_domain(built.dataset) == {"127.0.0.1": f"{BASE}/conditions-utilisation.html",
                                              "localhost": "http://localhost:8931/conditions-utilisation.html"}
    assert len({d["id"] for d in built.dataset}) == len(built.dataset)


def test_seed_site_filtering(tmp_path):
    built = load(tmp_path, [CRAWL], domains=["localhost"])
    assert sorted(built.dataset["url"]) == ["http://localhost:8931/reference/apa.en.html",
                                            "http://localhost:8931/reference/pr01.fr.html"]
    # The 12 responses from 127.0.0.1 (9 pages, a redirect, a 404, a stylesheet and an image... counted by hand).
    assert built.skips.counts == {"domain not in the seed list": 12}


def test_trafilatura_extractor(tmp_path):
    pytest.importorskip("trafilatura")
    built = load(tmp_path, [CRAWL], extractor="trafilatura", domains=["localhost"])
    fr = next(d for d in built.dataset if d["url"].endswith("pr01.fr.html"))
    assert fr["meta"]["extractor"] == "trafilatura"
    assert max(page_prose(raw_responses()[fr["url"]][1]), key=len) in " ".join(fr["text"].split())


def rewrite(records_from, url, payload):
    """The records of `records_from` as an uncompressed WARC, with the HTTP body of `url` replaced by
    `payload(http_head, body)` (fastwarc recomputes the lengths)."""
    out = io.BytesIO()
    for record in ArchiveIterator(io.BytesIO(records_from.read_bytes()), parse_http=False):
        content = record.reader.read()
        if record.headers.get("WARC-Target-URI", "").strip("<>") == url and record.headers["WARC-Type"] == "response":
            head, _, body = content.partition(b"\r\n\r\n")
            head = re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % len(payload(head, body)), head)
            content = head + b"\r\n\r\n" + payload(head, body)
        record.set_bytes_content(content)
        record.write(out)
    return out.getvalue()


def test_bad_input_is_skipped_counted_and_the_rest_kept(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    packed = CRAWL.read_bytes()
    (bad / "truncated.warc.gz").write_bytes(packed[:40000])  # cut inside the payload of apa.zh-cn.html
    raw = gzip.decompress(packed)
    cut = raw.rfind(b"WARC/1.0", 0, raw.find(b"WARC-Target-URI: <%s/reference/pr01.zh-cn.html>" % BASE.encode()))
    (bad / "corrupt.warc").write_bytes(raw[:cut] + b"GARBAGE\r\n" + raw[cut + 8:])
    fr = f"{BASE}/reference/pr01.fr.html"
    # Windows-1252 bytes while the page's <meta> still says UTF-8.
    (bad / "wrong_charset.warc").write_bytes(
        rewrite(CRAWL, fr, lambda head, body: body.decode("utf-8").encode("cp1252", "replace")))
    en = f"{BASE}/reference/pr01.en.html"
    huge = lambda head, body: body.replace(b"</body>", b"<p>" + b"Debian " * 7_500_000 + b"</p></body>")
    (bad / "huge.warc").write_bytes(rewrite(CRAWL, en, huge))
    (bad / "empty.warc.gz").write_bytes(b"")
    built = load(tmp_path, sorted(bad.iterdir()))
    reasons = built.skips.counts
    assert reasons["truncated record"] == 1
    assert reasons["unreadable input (OSError)"] == 1
    assert reasons["page larger than 40000000 bytes"] == 1
    docs = built.dataset
    by_file = {}
    for doc in docs:
        by_file.setdefault(doc["meta"]["file"], []).append(doc)
    # truncated: the 7 pages before the cut; corrupt: the 4 before pr01.zh-cn.html (whose request record is
    # broken); the rewritten files keep all 10 pages but the huge one.
    assert [len(by_file[f]) for f in ("truncated.warc.gz", "corrupt.warc", "wrong_charset.warc", "huge.warc")] \
        == [7, 4, 10, 9]
    recovered = next(d for d in by_file["wrong_charset.warc"] if d["url"] == fr)
    original = next(d for d in by_file["huge.warc"] if d["url"] == fr)
    assert recovered["meta"]["charset_declared"] == "utf-8" and recovered["meta"]["charset"] != "utf-8"
    assert "Préface" in recovered["text"] and "responsabilité" in recovered["text"]
    assert len(recovered["text"]) > 0.9 * len(original["text"])


def test_arc_files_and_malformed_arc_records(tmp_path):
    arc = DEMO / "example.arc.gz"
    raw = gzip.decompress(arc.read_bytes())
    (tmp_path / "truncated.arc.gz").write_bytes(gzip.compress(raw)[:-150])
    bad_arc = Path(__file__).parent / "fixtures" / "pywb" / "bad.arc"
    built = load(tmp_path, [arc, bad_arc, tmp_path / "truncated.arc.gz"])
    doc = next(d for d in built.dataset if d["meta"]["file"].endswith("example.arc.gz"))
    assert doc["url"] == "http://example.com/" and doc["meta"]["title"] == "Example Domain"
    # The capture date of the ARC header line "http://example.com/ 93.184.216.119 20140216050221 text/html 1591".
    assert doc["meta"]["timestamp"] == "2014-02-16T05:02:21Z"
    paragraphs = Paragraphs()
    paragraphs.feed(raw.decode("utf-8"))
    assert all(" ".join(p.split()) in doc["text"] for p in paragraphs.found if len(p) > 60)
    # bad.arc: a version block and a record with unusable lengths, then a valid 1-byte non-HTTP record and a
    # length of "abc"; the truncated copy loses its only record.
    assert built.skips.counts == {"corrupt ARC record header": 2, "response without HTTP headers": 1,
                                  "unreadable input (EOFError)": 1}
    assert len(built.dataset) == 1


def wet_record(url, text):
    return (b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-02-03T04:05:06Z\r\n"
            b"WARC-Record-ID: <urn:uuid:%s>\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
            % (url.encode(), str(uuid.uuid5(uuid.NAMESPACE_URL, url)).encode(), len(text)) + text + b"\r\n\r\n")


def test_wet_conversion_records(tmp_path):
    from bigscience_corpus.loaders.udhr import paragraphs, udhr_languages

    texts = [p for _, _, p in paragraphs(udhr_languages()["sw"].sample_text)][:2]
    wet = tmp_path / "sample.warc.wet.gz"
    wet.write_bytes(b"".join(gzip.compress(r) for r in (
        wet_record("https://sw.example.org/a", texts[0].encode("utf-8")),
        wet_record("https://sw.example.org/b", texts[1].encode("latin-1", "replace").replace(b"a", b"\xe9")),
        wet_record("https://sw.example.org/c", texts[1].encode("utf-8")))))
    built = load(tmp_path, [wet], lang="sw")
    assert built.dataset["text"] == [texts[0], texts[1]] and built.dataset["lang"] == ["sw", "sw"]
    assert built.dataset[0]["meta"]["timestamp"] == "2024-02-03T04:05:06Z"
    assert built.skips.counts == {"undecodable text (not UTF-8)": 1}


def test_bcp47_tags():
    assert [bcp47(t) for t in ("zh-cn", "zh_TW", "EN_us", "sr-latn", "fr", "", None, "not a tag!")] == \
        ["zh-Hans", "zh-Hant", "en-US", "sr-Latn", "fr", None, None, None]


def test_warc_and_arc_files_read_from_urls(tmp_path):
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DEMO))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        urls = [f"{base}/crawl.warc.gz", f"{base}/example.arc.gz", f"{base}/no-such-file.warc.gz"]
        from_urls = build_source("warc", {"data_files": urls}, cache_dir=str(tmp_path / "u"))
    finally:
        server.shutdown()
        server.server_close()
    local = load(tmp_path, [CRAWL, DEMO / "example.arc.gz"])
    assert from_urls.dataset["id"] == local.dataset["id"] and from_urls.dataset["text"] == local.dataset["text"]
    assert from_urls.skips.counts["unreadable input (HTTPError)"] == 1
