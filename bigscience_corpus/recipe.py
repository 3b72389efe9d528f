"""Recipes: a corpus declared in YAML — sources, steps, dedup, mixture, splits, output.

Parsing checks every key and says which file and which key is wrong; the runner never sees a bad recipe.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError

DEMO = "demo"


@dataclass
class SourceEntry:
    """One source of the corpus: a catalogue id, its loader options, its steps and its sampling ratio."""

    source: str
    options: dict[str, Any] = field(default_factory=dict)
    #: Steps for this source (`{name, params, mode}` each); None means the recipe's default `steps`.
    steps: list[dict[str, Any]] | None = None
    #: Share of the source's documents to keep when mixing, in (0, 1].
    ratio: float = 1.0


@dataclass
class Recipe:
    name: str
    sources: list[SourceEntry]
    description: str = ""
    seed: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)
    dedup: list[dict[str, Any]] = field(default_factory=list)
    #: Share of each language's documents in the validation split (at least one when it has two or more).
    validation: float = 0.05
    repo_id: str | None = None
    max_shard_size: str = "256MB"
    #: Tokenizer (tokenizer.json path or Hub id) whose token counts the summary and card report.
    tokenizer: str | None = None
    #: Where relative `data_files` in source options are resolved (the recipe file's folder).
    base_dir: str = "."
    path: str = "<recipe>"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("base_dir"), data.pop("path")
        return data


_TOP_KEYS = {"name", "description", "seed", "sources", "steps", "dedup", "splits", "output"}
_SOURCE_KEYS = {"source", "options", "steps", "ratio"}
_SPLITS_KEYS = {"validation"}
_OUTPUT_KEYS = {"repo_id", "max_shard_size", "tokenizer"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check_keys(data: Any, allowed: set[str], what: str, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UserError(f"{what} must be a mapping, not {type(data).__name__}", where)
    unknown = set(data) - allowed
    if unknown:
        raise UserError(f"unknown key(s) {sorted(unknown)} in {what}; allowed: {', '.join(sorted(allowed))}", where)
    return data


def _named_entries(value: Any, what: str, path: str, allowed: set[str] | None = None) -> list[dict[str, Any]]:
    """A list of steps or dedup stages, each as a mapping with a `name` (a bare name is short for `{name: ...}`),
    so every consumer reads `entry["name"]`. `allowed` restricts the keys (steps' own keys are checked when built)."""
    if not isinstance(value, list):
        raise UserError(f"'{what}' must be a list", path)
    entries = []
    for i, entry in enumerate(value):
        entry = {"name": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise UserError(f"{what}[{i}] must be a name or a mapping with a 'name'", path)
        if allowed is not None:
            _check_keys(entry, allowed, f"{what}[{i}]", path)
        entries.append(dict(entry))
    return entries


def parse_recipe(data: Any, path: str = "<recipe>", base_dir: str = ".") -> Recipe:
    """A `Recipe` from parsed YAML; raises `UserError` naming the file and the bad key."""
    data = _check_keys(data, _TOP_KEYS, "the recipe", path)
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError("'name' must be a folder-safe name (letters, digits, '.', '_', '-')", path)
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise UserError("'sources' must be a non-empty list", path)
    entries = []
    for i, raw in enumerate(raw_sources):
        what = f"sources[{i}]"
        if isinstance(raw, str):
            raw = {"source": raw}
        raw = _check_keys(raw, _SOURCE_KEYS, what, path)
        if not isinstance(raw.get("source"), str):
            raise UserError(f"{what} needs a 'source' (a catalogue id)", path)
        ratio = raw.get("ratio", 1.0)
        if not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
            raise UserError(f"{what}.ratio must be in (0, 1] (upsampling is not supported), not {ratio!r}", path)
        options = raw.get("options") or {}
        if not isinstance(options, dict):
            raise UserError(f"{what}.options must be a mapping", path)
        steps = raw.get("steps")
        if steps is not None:
            steps = _named_entries(steps, f"{what}.steps", path)
        entries.append(SourceEntry(raw["source"], options, steps, float(ratio)))
    splits = _check_keys(data.get("splits") or {}, _SPLITS_KEYS, "splits", path)
    output = _check_keys(data.get("output") or {}, _OUTPUT_KEYS, "output", path)
    validation = splits.get("validation", 0.05)
    if not isinstance(validation, (int, float)) or not 0 <= validation < 1:
        raise UserError(f"splits.validation must be in [0, 1), not {validation!r}", path)
    seed = data.get("seed", 0)
    if not isinstance(seed, int):
        raise UserError(f"'seed' must be an integer, not {seed!r}", path)
    return Recipe(name=name, sources=entries, description=str(data.get("description", "")), seed=seed,
                  steps=_named_entries(data.get("steps") or [], "steps", path),
                  dedup=_named_entries(data.get("dedup") or [], "dedup", path, allowed={"name", "params"}),
                  validation=float(validation), repo_id=output.get("repo_id"),
                  max_shard_size=str(output.get("max_shard_size", "256MB")), tokenizer=output.get("tokenizer"), base_dir=base_dir, path=path)


def load_recipe(path_or_name: str | None = None) -> Recipe:
    """The recipe at a path, or an embedded one by name (`demo` when None)."""
    name = path_or_name or DEMO
    path = Path(name)
    if path.is_file():
        text, where, base_dir = path.read_text(encoding="utf-8"), str(path), str(path.resolve().parent)
    else:
        embedded = resources.files(__package__).joinpath(f"recipes/{name}.yaml")
        if not embedded.is_file():
            raise UserError(f"no recipe file {name!r} and no embedded recipe of that name "
                            f"(embedded: {', '.join(embedded_recipes())})")
        # Relative data_files of embedded recipes point into the package (its demo data).
        text, where, base_dir = embedded.read_text(encoding="utf-8"), f"<embedded recipe {name}>", str(
            Path(str(resources.files(__package__))))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise UserError(f"YAML does not parse: {' '.join(str(err).split())}", where) from None
    return parse_recipe(data, where, base_dir)


def embedded_recipes() -> list[str]:
    folder = resources.files(__package__).joinpath("recipes")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
