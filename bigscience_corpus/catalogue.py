"""The catalogue: every builder in `loaders/` with its card in `cards/`, and running a source."""
from __future__ import annotations

import dataclasses
import glob
import hashlib
import importlib
import inspect
import os
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import datasets

from . import loaders as _loaders_package
from .builder import SkipReport, SourceBuilder
from .source_card import Card, card_problems, read_card
from .errors import UserError
from .schema import DOCUMENT_FEATURES, digest

REMOTE_PREFIXES = ("http://", "https://", "hf://", "s3://", "gs://")
#: Relative paths in loaders' FIXTUREs and in embedded recipes start here (the demo data ships in the package).
PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout's root, where `sources new` writes (meaningless when installed from a wheel).
REPO_ROOT = PACKAGE_DIR.parent


@dataclass
class Source:
    """One catalogue entry: its loader class (None when it cannot be imported), its card (None when missing or
    unreadable), and what is wrong with each."""

    name: str
    builder: type[SourceBuilder] | None
    loader_path: Path
    card_path: Path
    card: Card | None
    loader_problems: list[str]
    card_problems: list[str]
    #: Options that build the source from its test fixture (paths relative to `PACKAGE_DIR`).
    fixture: dict[str, Any]

    @property
    def problems(self) -> list[str]:
        return self.loader_problems + self.card_problems

    def check(self) -> None:
        """Raise a `UserError` naming the loader or card file when the source cannot be used."""
        if self.loader_problems:
            raise UserError(f"source is not valid: {'; '.join(self.loader_problems)}", str(self.loader_path))
        if self.card_problems:
            raise UserError(f"source is not valid: {'; '.join(self.card_problems)}", str(self.card_path))

    @property
    def options(self) -> list[str]:
        if self.builder is None:
            return []
        base = {f.name for f in dataclasses.fields(datasets.BuilderConfig)}
        fields = [f.name for f in dataclasses.fields(self.builder.BUILDER_CONFIG_CLASS) if f.name not in base]
        # `inputs` is given as `data_files` (globs); `fingerprint` is computed here.
        return ["data_files" if f == "inputs" else f for f in fields if f != "fingerprint"]


def _import_loader(name: str) -> tuple[type[SourceBuilder] | None, Path, dict[str, Any], list[str]]:
    """(builder class, file, FIXTURE, problems) of one loader module; a loader that cannot be imported — a
    missing optional dependency, a syntax error — is a problem of that source, not of the whole catalogue."""
    module_name = f"{_loaders_package.__name__}.{name}"
    path = Path(_loaders_package.__path__[0]) / f"{name}.py"
    try:
        module = importlib.import_module(module_name)
    except Exception as err:
        return None, path, {}, [f"loader does not import: {type(err).__name__}: {err}"]
    builders = [obj for obj in vars(module).values() if inspect.isclass(obj) and issubclass(obj, SourceBuilder)
                and obj is not SourceBuilder and obj.__module__ == module_name]
    if len(builders) != 1:
        return None, path, {}, [f"defines {len(builders)} SourceBuilder subclasses; a loader defines exactly one"]
    builders[0].SOURCE = name
    return builders[0], path, dict(getattr(module, "FIXTURE", {})), []


def _read_card(name: str, path: Path) -> tuple[Card | None, list[str]]:
    if not path.exists():
        return None, [f"has no card (expected at cards/{name}.md)"]
    try:
        card = read_card(path)
    except ValueError as err:
        return None, [str(err)]
    return card, card_problems(card, name)


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    """Discover every loader module and its card. Import errors and card problems are recorded, not raised."""
    cards_dir = resources.files("bigscience_corpus.cards")
    found: dict[str, Source] = {}
    for module_info in sorted(pkgutil.iter_modules(_loaders_package.__path__), key=lambda m: m.name):
        name = module_info.name
        builder, loader_path, fixture, loader_problems = _import_loader(name)
        card_path = Path(str(cards_dir.joinpath(f"{name}.md")))
        card, problems = _read_card(name, card_path)
        found[name] = Source(name, builder, loader_path, card_path, card, loader_problems, problems, fixture)
    return found


def get_source(name: str) -> Source:
    catalogue = sources()
    if name not in catalogue:
        raise UserError(f"unknown source {name!r}; the catalogue has: {', '.join(catalogue)}")
    return catalogue[name]


def resolve_files(patterns: str | list[str], base_dir: str | Path | None = None) -> list[str]:
    """Expand globs (`**` recursive) into a sorted list of files; URLs pass through untouched."""
    files: list[str] = []
    for pattern in [patterns] if isinstance(patterns, str) else list(patterns):
        if pattern.startswith(REMOTE_PREFIXES):
            files.append(pattern)
            continue
        full = os.path.join(base_dir, pattern) if base_dir else pattern
        # Only what opens as a file: not folders, dangling links, nor the deepest path of a symbolic link loop.
        matches = sorted(p for p in glob.glob(os.path.expanduser(full), recursive=True) if os.path.isfile(p))
        if not matches:
            raise UserError(f"no file matches {pattern!r}", where="data_files")
        files.extend(os.path.abspath(m) for m in matches)
    return files


def file_checksum(path: str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


@dataclass
class SourceBuild:
    """What running a source gives: its documents, what it skipped, and the checksums of its inputs."""

    name: str
    dataset: datasets.Dataset
    skips: SkipReport
    checksums: dict[str, str]


def build_source(name: str, options: dict[str, Any] | None = None, cache_dir: str | None = None,
                 num_proc: int | None = None, base_dir: str | Path | None = None) -> SourceBuild:
    """Run a source's builder with `options` (its config fields); bad options raise `UserError`."""
    source = get_source(name)
    if source.builder is None:
        source.check()
    options = dict(options or {})
    unknown = set(options) - set(source.options)
    if unknown:
        raise UserError(f"unknown option(s) {sorted(unknown)} for source {name!r}; "
                        f"its options are: {', '.join(source.options)}")
    checksums: dict[str, str] = {}
    if options.get("data_files") is not None:
        options["inputs"] = resolve_files(options.pop("data_files"), base_dir)
        checksums = {f: (f if f.startswith(REMOTE_PREFIXES) else file_checksum(f)) for f in options["inputs"]}
    fingerprint = digest(repr(sorted(checksums.items())) + source.builder.input_fingerprint())
    try:
        builder = source.builder(cache_dir=cache_dir, fingerprint=fingerprint, **options)
        builder.download_and_prepare(num_proc=num_proc)
        if builder.info.splits["train"].num_examples == 0:  # datasets refuses to open an empty split
            dataset = datasets.Dataset.from_dict({c: [] for c in DOCUMENT_FEATURES}, features=DOCUMENT_FEATURES)
        else:
            dataset = builder.as_dataset(split="train")
    except UserError:
        raise
    except Exception as err:  # a loader bug or an unusable input: name the loader, keep it to one line
        raise UserError(f"loader failed: {type(err).__name__}: {err}", where=str(source.loader_path)) from err
    return SourceBuild(name, dataset, builder.skip_report(), checksums)


def load_source(name: str, **options: Any) -> datasets.DatasetDict:
    """Run one source's loader, e.g. `load_source("udhr", languages=["yo"])`, as a `DatasetDict` (`train`)."""
    return datasets.DatasetDict({"train": build_source(name, options).dataset})
