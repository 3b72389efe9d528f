"""`bigscience-corpus sources list|validate|new`: the catalogue of sources, checked and extended."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from ..catalogue import PACKAGE_DIR, REPO_ROOT, Source, build_source, sources
from ..errors import UserError
from .build import format_table


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("sources", help="list, validate or scaffold catalogue sources", description=__doc__)
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="table of sources: id, modality, languages, licence, custodian").set_defaults(
        func=list_sources)
    v = sub.add_parser("validate", help="check every card and build every loader from its fixture")
    v.add_argument("names", nargs="*", help="sources to check (default: all)")
    v.add_argument("--cache-dir", default=None, help="datasets cache folder (default: a fresh temporary one)")
    v.set_defaults(func=validate)
    n = sub.add_parser("new", help="scaffold loader + card + fixture folder + test for a new source")
    n.add_argument("name", help="the source id: lower case letters, digits and underscores")
    n.add_argument("--root", default=str(REPO_ROOT), help="checkout to write into (default: this one)")
    n.set_defaults(func=new)


def list_sources(args: argparse.Namespace) -> int:
    rows = []
    for name, source in sources().items():
        card = source.card
        langs = card.languages if card else []
        rows.append([name, card.meta.get("modality", "?") if card else "?",
                     ", ".join(langs[:6]) + (f" (+{len(langs) - 6})" if len(langs) > 6 else ""),
                     card.meta.get("license", "?") if card else "?", card.custodian[:40] if card else "?"])
    print(format_table(["id", "modality", "languages", "licence", "custodian"], rows))
    return 0


def check_source(source: Source, cache_dir: str | None) -> list[str]:
    """Problems of one source: its card, then a build from its fixture that must yield valid documents."""
    problems = list(source.problems)
    if source.builder is None:
        return problems
    if not source.fixture:
        return problems + ["loader defines no FIXTURE (options that build it from a test fixture)"]
    try:
        built = build_source(source.name, source.fixture, cache_dir=cache_dir, base_dir=PACKAGE_DIR)
    except UserError as err:
        return problems + [f"does not build from its fixture: {err}"]
    ds = built.dataset
    if len(ds) == 0:
        problems.append("its fixture yields no documents")
    elif len(set(ds["id"])) != len(ds):
        problems.append("ids are not unique")
    elif any(not i.startswith(f"{source.name}/") for i in ds["id"]):
        problems.append(f"ids must start with '{source.name}/' (build them with schema.document)")
    return problems


def validate(args: argparse.Namespace) -> int:
    import tempfile

    catalogue = sources()
    names = args.names or list(catalogue)
    unknown = [n for n in names if n not in catalogue]
    if unknown:
        raise UserError(f"unknown source(s) {unknown}; the catalogue has: {', '.join(catalogue)}")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            problems = check_source(catalogue[name], args.cache_dir or tmp)
            failed += bool(problems)
            for problem in problems:
                print(f"{catalogue[name].loader_path.name} / {catalogue[name].card_path.name}: {problem}",
                      file=sys.stderr)
            print(f"{'FAIL' if problems else 'ok'}  {name}")
    print(f"{len(names) - failed} valid, {failed} with problems")
    return 1 if failed else 0


LOADER_TEMPLATE = '''"""{title}: TODO one line on what the source is."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from bigscience_corpus.builder import SourceBuilder, SourceConfig
from bigscience_corpus.io import bounded_lines, common_root, open_binary, relative
from bigscience_corpus.schema import document

#: Options that build this source from its fixture, which is also its demo data (paths relative to the package).
FIXTURE = {{"data_files": "demo_data/{name}/*"}}


@dataclass
class {cls}Config(SourceConfig):
    """Args:
        lang: BCP-47 language of the documents.
    """

    lang: str = "und"


class {cls}(SourceBuilder):
    """TODO: what one document is."""

    BUILDER_CONFIG_CLASS = {cls}Config

    def _shards(self) -> list[str]:
        return self.input_files()

    def _documents(self, path: str) -> Iterator[dict[str, Any]]:
        name = relative(path, common_root(self.input_files()))
        with open_binary(path) as stream:
            for number, line in bounded_lines(stream, self.config.max_doc_chars * 4):
                if line is None:
                    self.skip("line longer than max_doc_chars", f"{{name}}:{{number}}")
                    continue
                try:
                    record = json.loads(line)
                except ValueError as err:
                    self.skip("invalid JSON", f"{{name}}:{{number}}: {{err}}")
                    continue
                yield document(self.SOURCE, f"{{name}}:{{number}}", record["text"], self.config.lang, None,
                               {{"file": name, "line": number}})
'''

CARD_TEMPLATE = """---
uid: {name}
pretty_name: TODO
modality: text
language: [TODO]
license: TODO
custodian:
  name: TODO
  type: TODO
  location: TODO
  contact: TODO
homepage: TODO
pii:
  has_pii: TODO
  justification: TODO
---
# TODO title

## Description
TODO: what the source is, who made it, what one document is.

## Licensing
TODO: the licence and where it is stated.

## Personal and sensitive information
TODO: what personal data it may hold and what the recipe does about it.

## Known limitations
TODO: gaps, biases, quality problems.
"""

TEST_TEMPLATE = '''"""Tests of the {name} loader on its fixture (the catalogue test also builds it)."""
from bigscience_corpus.catalogue import PACKAGE_DIR, build_source, get_source


def test_{name}_fixture_documents(tmp_path):
    docs = build_source("{name}", get_source("{name}").fixture, cache_dir=str(tmp_path), base_dir=PACKAGE_DIR).dataset
    assert len(docs) > 0
    # TODO: assert what this source's documents must look like (language, meta fields, a known text).
'''


def new(args: argparse.Namespace) -> int:
    name = args.name
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise UserError(f"source id {name!r} must be lower case letters, digits and underscores")
    root = Path(args.root)
    cls = "".join(part.title() for part in name.split("_"))
    files = {root / "loaders" / f"{name}.py": LOADER_TEMPLATE.format(name=name, cls=cls, title=cls),
             root / "cards" / f"{name}.md": CARD_TEMPLATE.format(name=name),
             root / "tests" / f"test_source_{name}.py": TEST_TEMPLATE.format(name=name),
             root / "bigscience_corpus" / "demo_data" / name / "README.md":
                 f"Fixture of `{name}`: TODO where the real text comes from and the script that made it.\n"}
    existing = [str(p) for p in files if p.exists()]
    if existing:
        raise UserError(f"would overwrite {', '.join(existing)}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"created {path}")
    print(f"Next: put a small real-format fixture in bigscience_corpus/demo_data/{name}/ (made by a script in "
          f"tests/fixtures/), fill in every TODO, then run "
          f"`bigscience-corpus sources validate {name}` and `pytest tests/test_source_{name}.py`.")
    return 0
