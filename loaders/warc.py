"""Web pseudo-crawl: HTML pages (and WET text) from WARC and ARC files, read with FastWARC, main text by
Resiliparse."""
from __future__ import annotations

import gzip
import html
import io
import re
import shutil
import tempfile
import unicodedata
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Iterator, Literal
from urllib.parse import urljoin, urlsplit

import fsspec
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import detect_encoding
from resiliparse.parse.html import HTMLTree

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.errors import UserError
from bigscience_corpus.io import base_suffix, common_root, relative
from bigscience_corpus.schema import document

FIXTURE = {"data_files": "demo_data/warc/*"}

HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Anchor texts of links to a site's terms of service / conditions of use, casefolded, in the BigScience
#: languages and a few more. A link whose whole text is one of these names the domain's terms.
TERMS_ANCHORS = frozenset(unicodedata.normalize("NFKC", a).casefold() for a in (
    "terms", "terms of service", "terms of use", "terms and conditions", "terms & conditions", "conditions of use",
    "user agreement", "conditions d'utilisation", "conditions générales d'utilisation", "conditions générales",
    "cgu", "términos", "términos de uso", "términos de servicio", "términos y condiciones", "condiciones de uso",
    "termos", "termos de uso", "termos de serviço", "termos e condições", "condições de uso",
    "termes d'ús", "condicions d'ús", "erabilera-baldintzak", "使用条款", "服务条款", "服務條款", "用户协议",
    "使用條款", "شروط الاستخدام", "شروط الخدمة", "الشروط والأحكام", "उपयोग की शर्तें", "सेवा की शर्तें",
    "syarat dan ketentuan", "ketentuan layanan", "điều khoản sử dụng", "điều khoản dịch vụ",
    "nutzungsbedingungen", "agb", "sheria na masharti", "masharti ya matumizi",
))


@dataclass
class WarcConfig(SourceConfig):
    """Args:
        domains: seed sites to keep (a page is kept when its host is one of them or a subdomain); None keeps all.
        extractor: "resiliparse" (fast, default) or "trafilatura" (needs the `trafilatura` extra).
        lang: language of pages whose HTML has no `lang` attribute (BCP-47); "und" when unknown.
        main_content: with Resiliparse, keep only the main content (drop navigation, footers) rather than all
            visible text. Trafilatura always extracts the main content.
    """

    domains: list[str] | None = None
    extractor: Literal["resiliparse", "trafilatura"] = "resiliparse"
    lang: str = "und"
    main_content: bool = True


class Warc(SourceBuilder):
    """One document per HTTP 200 HTML response (or WET text conversion) record of WARC files."""

    BUILDER_CONFIG_CLASS = WarcConfig

    def _shards(self) -> list[str]:
        if self.config.extractor == "trafilatura":
            try:
                import trafilatura  # noqa: F401
            except ImportError:
                raise UserError("extractor 'trafilatura' needs the trafilatura extra: "
                                "pip install 'bigscience-corpus[trafilatura]'") from None
        elif self.config.extractor != "resiliparse":
            raise UserError(f"unknown extractor {self.config.extractor!r}; use resiliparse or trafilatura")
        return self.input_files()

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        name = relative(path, common_root(self.input_files()))
        arc = base_suffix(path) == ".arc"
        with open_input(path) as raw:
            # FastWARC detects WARC compression itself; the ARC reader needs gzip undone.
            stream = gzip.GzipFile(fileobj=raw) if arc and path.endswith(".gz") else raw
            wanted = WarcRecordType.response | WarcRecordType.revisit | WarcRecordType.conversion
            records = self._arc_records(stream, name) if arc else \
                ArchiveIterator(stream, record_types=wanted, parse_http=True)
            for record in records:
                doc = self._document(record, name)
                if doc is not None:
                    yield doc

    def _arc_records(self, stream: BinaryIO, name: str) -> Iterator[WarcRecord]:
        """The records of a legacy ARC file (v1 or v2) as WARC response records, so one code path reads both.
        ARC has no record ids: one is derived from the URL and capture date."""
        limit = self.config.max_doc_chars * 4
        resyncing = False
        while line := stream.readline(8192):
            if not line.strip():
                continue
            fields = line.decode("utf-8", "replace").split()
            if len(fields) not in (5, 10) or not fields[-1].isdigit() or not re.fullmatch(r"\d{14}", fields[2]):
                # Unknown length: read on line by line to the next valid record header, counting one fault.
                if not resyncing:
                    self.skip("corrupt ARC record header", f"{name}: {line[:100]!r}")
                resyncing = True
                continue
            resyncing = False
            url, date, length = fields[0], fields[2], int(fields[-1])
            if length > limit:
                remaining = length
                while remaining > 0 and (chunk := stream.read(min(remaining, 1 << 20))):
                    remaining -= len(chunk)
                self.skip(f"page larger than {limit} bytes", f"{name}: {url}")
                continue
            block = stream.read(length)
            if url.startswith("filedesc://"):
                continue  # the file's own header: its version block, not a capture
            if len(block) < length:
                self.skip("truncated record", f"{name}: {url}")
                return
            record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{url} {date}")
            header = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
                      f"WARC-Date: {date[:4]}-{date[4:6]}-{date[6:8]}T{date[8:10]}:{date[10:12]}:{date[12:14]}Z\r\n"
                      f"WARC-Record-ID: <urn:uuid:{record_id}>\r\n"
                      f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n")
            warc = header.encode("utf-8") + block + b"\r\n\r\n"
            yield from ArchiveIterator(io.BytesIO(warc), parse_http=True)

    def _document(self, record: WarcRecord, name: str) -> dict[str, Any] | None:
        url = (record.headers.get("WARC-Target-URI") or "").strip("<>")  # wget writes the URI in brackets
        where = f"{name}: {url}"
        if record.record_type == WarcRecordType.revisit:
            self.skip("revisit record (no payload)", where)
            return None
        if not self._in_seed_sites(url):
            self.skip("domain not in the seed list", where)
            return None
        limit = self.config.max_doc_chars * 4
        if record.content_length > limit:
            self.skip(f"page larger than {limit} bytes", where)
            return None
        is_wet = record.record_type == WarcRecordType.conversion
        if not is_wet:
            status = record.http_headers.status_code if record.http_headers else None
            if status != 200:
                self.skip(f"HTTP status {status}" if status else "response without HTTP headers", where)
                return None
            mime = (record.http_content_type or "").lower()
            if mime not in HTML_TYPES:
                self.skip("not HTML", f"{where} ({mime or 'no content type'})")
                return None
        body = record.reader.read()
        if len(body) < record.content_length:
            self.skip("truncated record", where)
            return None
        meta = {"url": url, "domain": urlsplit(url).hostname, "timestamp": record.headers.get("WARC-Date"),
                "warc_record_id": record.record_id, "file": name}
        if is_wet:
            return self._wet_document(body, meta, where)
        return self._html_document(body, record.http_charset, meta, where)

    def _in_seed_sites(self, url: str) -> bool:
        if not self.config.domains:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in (d.lower().lstrip(".") for d in self.config.domains))

    def _wet_document(self, body: bytes, meta: dict[str, Any], where: str) -> dict[str, Any] | None:
        try:
            text = body.decode("utf-8")  # WET conversions are UTF-8 by definition
        except UnicodeDecodeError:
            self.skip("undecodable text (not UTF-8)", where)
            return None
        if not text.strip():
            self.skip("no main text", where)
            return None
        return document(self.SOURCE, meta["warc_record_id"], text, self.config.lang, meta["url"],
                        {**meta, "charset": "utf-8"})

    def _html_document(self, body: bytes, http_charset: str | None, meta: dict[str, Any],
                       where: str) -> dict[str, Any] | None:
        decoded = decode_html(body, http_charset)
        if decoded is None:
            self.skip("undecodable page (declared and detected charsets both fail)", where)
            return None
        page, charset, declared = decoded
        tree = HTMLTree.parse(page)
        text = self._extract(tree, page)
        if not text.strip():
            self.skip("no main text", where)
            return None
        root = tree.document.document_element
        html_lang = (root.getattr("lang") or root.getattr("xml:lang")) if root is not None else None
        meta.update({"title": tree.title or None, "html_lang": html_lang, "charset": charset,
                     "charset_declared": declared, "terms_url": terms_link(page, meta["url"]),
                     "extractor": self.config.extractor})
        return document(self.SOURCE, meta["warc_record_id"], text, bcp47(html_lang) or self.config.lang,
                        meta["url"], meta)

    def _extract(self, tree: HTMLTree, page: str) -> str:
        if self.config.extractor == "trafilatura":
            import trafilatura

            return trafilatura.extract(page, include_comments=False, include_tables=True) or ""
        return extract_plain_text(tree, main_content=self.config.main_content, preserve_formatting=True,
                                  list_bullets=False)


def open_input(path: str) -> BinaryIO:
    """A seekable binary stream of a local file or URL (FastWARC seeks, and panics on a stream that cannot).
    http(s) files are downloaded to a temporary file with the standard library (fsspec would need aiohttp);
    other remote schemes (s3://, hf://...) are opened with fsspec."""
    if path.startswith(("http://", "https://")):
        local = tempfile.TemporaryFile()
        with urllib.request.urlopen(path, timeout=60) as response:
            shutil.copyfileobj(response, local, 1 << 20)
        local.seek(0)
        return local
    return fsspec.open(path, "rb").open()


def decode_html(body: bytes, http_charset: str | None) -> tuple[str, str, str | None] | None:
    """(html, charset used, charset declared) — the declared charset (HTTP header, then `<meta>`) when the bytes
    decode with it, else the one uchardet detects; None when neither decodes the page cleanly. Pages that
    declare the wrong charset are common: they are recovered, and `charset_declared` shows the mismatch."""
    declared = http_charset or meta_charset(body)
    tried = set()
    for charset in (declared, None) if declared else (None,):
        charset = (charset or detect_encoding(body, from_html_meta=False)).lower()  # detect only if needed
        if charset in tried:
            continue
        tried.add(charset)
        try:
            return body.decode(charset), charset, declared
        except (UnicodeDecodeError, LookupError):
            continue
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else None


#: A link and its text (up to 120 characters, inner tags allowed). A regex, not the DOM: walking every anchor
#: of a parsed page through Python objects cost more than the whole text extraction.
_LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)[^>]*>(.{1,120}?)</a\s*>""", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def terms_link(page: str, page_url: str) -> str | None:
    """The absolute URL of the page's first link to terms of service / conditions of use, if any."""
    for match in _LINK.finditer(page):
        label = unicodedata.normalize("NFKC", html.unescape(_TAG.sub("", match.group(2)))).replace("’", "'")
        if " ".join(label.split()).casefold() in TERMS_ANCHORS:
            return urljoin(page_url, html.unescape(match.group(1)))
    return None


#: Chinese is tagged by script in the corpus (as the Hub and BLOOM's data do); pages mostly give a region.
CHINESE_REGIONS = {"zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant",
                   "zh-MO": "zh-Hant"}


def bcp47(tag: str | None) -> str | None:
    """`EN_us` -> `en-US`, `sr-latn` -> `sr-Latn`, `zh-cn` -> `zh-Hans`; None for an empty or malformed tag."""
    if not tag or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", tag.strip()):
        return None
    parts = re.split(r"[-_]", tag.strip())
    fixed = [parts[0].lower()]
    for part in parts[1:]:
        fixed.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part.lower())
    tag = "-".join(fixed)
    return CHINESE_REGIONS.get(tag, tag)



def terms_by_domain(docs: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Domain -> the terms-of-use link its pages give (the first one found), for the source's card."""
    found: dict[str, str] = {}
    for doc in docs:
        meta = doc["meta"]
        if meta.get("terms_url") and meta.get("domain"):
            found.setdefault(meta["domain"], meta["terms_url"])
    return found
