"""Wikipedia articles from MediaWiki XML dumps (`<lang>wiki-<date>-pages-articles*.xml.bz2`), as clean text."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import quote, urlsplit

import mwparserfromhell

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.io import common_root, open_binary, relative
from bigscience_corpus.schema import document

FIXTURE = {"data_files": "demo_data/wikipedia/*.xml.bz2", "language": "fr"}

#: Tags whose content is not running text: footnotes, tables, galleries, formulas, code.
DROPPED_TAGS = frozenset({"ref", "references", "table", "gallery", "math", "chem", "score", "syntaxhighlight",
                          "source", "timeline", "graph", "mapframe", "imagemap", "templatedata"})
#: Namespaces whose links are not text: files and categories (canonical names; a dump adds its local names).
LINK_NAMESPACES = {6: ("File", "Image"), 14: ("Category",), -2: ("Media",)}
#: Redirects in dumps without a <redirect/> element are recognised by their magic word (a few languages').
REDIRECT = re.compile(r"\s*#\s*(redirect|redirection|weiterleitung|redirección|redirecionamento|重定向|تحويل)",
                      re.IGNORECASE)


@dataclass
class WikipediaConfig(SourceConfig):
    """Args:
        language: the wiki's language as BCP-47 (`fr`, `zh-Hans`...): one config per language, as dumps are.
    """

    language: str = "en"


class Wikipedia(SourceBuilder):
    """One document per main-namespace article (not redirects): wikitext stripped of templates, references,
    tables, files and categories, with section titles kept as lines of their own."""

    BUILDER_CONFIG_CLASS = WikipediaConfig

    def _shards(self) -> list[str]:
        return self.input_files()

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        name = relative(path, common_root(self.input_files()))
        try:
            yield from self._pages(path, name)
        except ET.ParseError as err:  # a SyntaxError, not one of the faults the base class isolates
            self.skip("malformed XML", f"{name}: {err}")

    def _pages(self, path: str, name: str) -> Iterator[dict[str, Any]]:
        site: dict[str, Any] = {"base": "", "link_prefixes": link_prefixes({})}
        with open_binary(path) as stream:
            events = ET.iterparse(stream, events=("start", "end"))
            _, root = next(events)
            dump_lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
            if dump_lang and dump_lang.split("-")[0] != self.config.language.split("-")[0].lower():
                self.skip("dump language does not match the language option",
                          f"{name}: {dump_lang} != {self.config.language}")
                return
            for event, elem in events:
                if event != "end":
                    continue
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "siteinfo":
                    site = siteinfo(elem)
                elif tag == "page":
                    doc = self._page(elem, site, name)
                    root.clear()  # keep memory flat on multi-gigabyte dumps
                    if doc is not None:
                        yield doc

    def _page(self, page: ET.Element, site: dict[str, Any], name: str) -> dict[str, Any] | None:
        fields = {child.tag.rsplit("}", 1)[-1]: child for child in page}
        title = (fields["title"].text or "") if "title" in fields else ""
        where = f"{name}: {title}"
        revision = fields.get("revision")
        if revision is None:
            self.skip("page without a revision", where)
            return None
        rev = {child.tag.rsplit("}", 1)[-1]: child for child in revision}
        wikitext = rev["text"].text if "text" in rev else None
        if fields.get("ns") is None or fields["ns"].text != "0":
            return None  # talk, user, template... pages: not articles, and not worth a count
        if "redirect" in fields or REDIRECT.match(wikitext or ""):
            self.skip("redirect", where)
            return None
        if not wikitext:
            self.skip("page has no text", where)
            return None
        if len(wikitext) > self.config.max_doc_chars:  # before parsing: mwparserfromhell is slow on huge pages
            self.skip(f"wikitext longer than max_doc_chars={self.config.max_doc_chars}", where)
            return None
        text = clean_wikitext(wikitext, site["link_prefixes"])
        if not text:
            self.skip("no text left after removing markup", where)
            return None
        page_id = fields["id"].text if "id" in fields else None
        meta = {"page_id": int(page_id) if page_id else None,
                "revision_id": int(rev["id"].text) if "id" in rev and rev["id"].text else None,
                "title": title, "timestamp": rev["timestamp"].text if "timestamp" in rev else None,
                "dbname": site.get("dbname"), "file": name}
        return document(self.SOURCE, f"{site.get('dbname') or self.config.language}/{page_id}", text,
                        self.config.language, article_url(site["base"], title), meta)


def siteinfo(elem: ET.Element) -> dict[str, Any]:
    """The dump's wiki name, article URL base and local namespace names (from `<siteinfo>`)."""
    fields = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
    local: dict[int, str] = {}
    if "namespaces" in fields:
        for ns in fields["namespaces"]:
            if ns.text:
                local[int(ns.get("key", "0"))] = ns.text
    return {"dbname": fields["dbname"].text if "dbname" in fields else None,
            "base": fields["base"].text if "base" in fields else "", "link_prefixes": link_prefixes(local)}


def link_prefixes(local: dict[int, str]) -> tuple[str, ...]:
    names = {n for key, canonical in LINK_NAMESPACES.items() for n in (*canonical, local.get(key))}
    return tuple(f"{n.casefold()}:" for n in names if n)


def article_url(base: str, title: str) -> str | None:
    """`https://fr.wikipedia.org/wiki/<Title>` from the dump's main-page URL."""
    if not base:
        return None
    parts = urlsplit(base)
    path = parts.path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}/{quote(title.replace(' ', '_'), safe='/:()_,-')}"


def clean_wikitext(wikitext: str, prefixes: tuple[str, ...]) -> str:
    """Running text of an article: templates, references, tables, files and categories removed; headings kept
    as lines; links replaced by their label."""
    code = mwparserfromhell.parse(wikitext)

    def is_file_or_category(link: Any) -> bool:
        return str(link.title).strip().lstrip(":").casefold().startswith(prefixes)

    doomed = [*code.filter_templates(recursive=False),
              *code.filter_tags(recursive=True, matches=lambda n: str(n.tag).strip().lower() in DROPPED_TAGS),
              *code.filter_wikilinks(recursive=True, matches=is_file_or_category)]
    for node in doomed:
        try:
            code.remove(node)
        except ValueError:  # inside a node already removed
            pass
    text = code.strip_code(normalize=True, collapse=True)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
