"""The shape every processing step has.

A step is a callable over a *batch*: a dict of equal-length column lists, as `Dataset.map(batched=True)` passes
it. It returns the batch with changed or added columns. Steps never drop rows themselves: a filter writes its
statistic and, when a document fails, the reason, so the runner can drop it, count it and show samples.

Columns a step may write besides `text`:
- `stat_<step>` (float): the statistic a filter computed (more than one: `stat_<step>_<name>`).
- `drop_reason` (str or None): the first failing filter in "apply" mode, as `"<step>: <why>"`.
- `flags` (list of str): filters that would drop the document, in "annotate" mode (thresholds under study).
- `edits` (list of str): steps that changed the text.

Parameters are per language, as in ROOTS's parameter tables: a step's `defaults`, then the `"default"` entry (the
step's shipped one, then the recipe's), then the language's own entry (shipped, then recipe), where `zh-Hans`
falls back to `zh`. A recipe's "default" therefore tunes languages that have no parameters of their own.
"""
from __future__ import annotations

from typing import Any, ClassVar, Iterable

Batch = dict[str, list]

ANNOTATION_COLUMNS = ("drop_reason", "flags", "edits")
MODES = ("apply", "annotate")

STEPS: dict[str, type["Step"]] = {}


def register(cls: type["Step"]) -> type["Step"]:
    """Class decorator: make a step available to recipes under `cls.name`."""
    if cls.name in STEPS:
        raise ValueError(f"processing step {cls.name!r} registered twice")
    STEPS[cls.name] = cls
    return cls


class Step:
    """A per-document step; subclasses set `name`, `defaults` and implement `__call__`."""

    name: ClassVar[str]
    #: Parameters used for every language unless overridden.
    defaults: ClassVar[dict[str, Any]] = {}
    #: Per-language parameters shipped with the step (e.g. ROOTS thresholds); recipes override them.
    language_params: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, params: dict[str, dict[str, Any]] | None = None, mode: str = "apply"):
        if mode not in MODES:
            raise ValueError(f"step {self.name!r}: mode must be one of {MODES}, not {mode!r}")
        params = params or {}
        unknown = {k for lang_params in params.values() for k in lang_params} - set(self.defaults)
        if unknown:
            raise ValueError(f"step {self.name!r}: unknown parameter(s) {sorted(unknown)}; "
                             f"known: {sorted(self.defaults)}")
        self.mode = mode
        self._params = {lang: {**self.language_params.get(lang, {}), **p} for lang, p in params.items()}
        self._cache: dict[str, dict[str, Any]] = {}

    def params_for(self, lang: str | None) -> dict[str, Any]:
        """Merged parameters for `lang` (see the module docstring for the order)."""
        lang = lang or "default"
        if lang not in self._cache:
            merged = {**self.defaults, **self.language_params.get("default", {}),
                      **self._params.get("default", {})}
            for candidate in _fallbacks(lang):
                if candidate in self._params or candidate in self.language_params:
                    merged.update(self.language_params.get(candidate, {}))
                    merged.update(self._params.get(candidate, {}))
                    break
            self._cache[lang] = merged
        return self._cache[lang]

    def __call__(self, batch: Batch) -> Batch:
        raise NotImplementedError


#: Documents longer than this are not evaluated (n-gram tables of a 50 MB line would exhaust memory): their
#: statistics stay empty and every filter drops them with a reason saying so.
MAX_EVALUATED_CHARS = 5_000_000


class Filter(Step):
    """A step that keeps or drops documents. Subclasses implement `evaluate` (or `evaluate_batch`)."""

    def evaluate(self, text: str, params: dict[str, Any]) -> tuple[dict[str, float], str | None]:
        """Statistics of one document and, when it fails, why (e.g. `"5 words < 10"`)."""
        raise NotImplementedError

    def evaluate_batch(self, batch: Batch) -> list[tuple[dict[str, Any], str | None]]:
        """`evaluate` for each document; filters that need other columns or batch-wise models override it."""
        langs = batch.get("lang") or [None] * len(batch["text"])
        return [self.evaluate(text or "", self.params_for(lang)) for text, lang in zip(batch["text"], langs)]

    def __call__(self, batch: Batch) -> Batch:
        n = len(batch["text"])
        reasons = list(batch.get("drop_reason") or [None] * n)
        flags = [list(f) for f in batch.get("flags") or [[] for _ in range(n)]]
        too_long = [len(t or "") > MAX_EVALUATED_CHARS for t in batch["text"]]
        evaluated = self.evaluate_batch({**batch, "text": ["" if long else t for t, long in zip(batch["text"], too_long)]})
        stat_columns: dict[str, list] = {}
        for i, (stats, failure) in enumerate(evaluated):
            if too_long[i]:
                stats = {key: None for key in stats}
                failure = f"{len(batch['text'][i])} characters, too long to evaluate (> {MAX_EVALUATED_CHARS})"
            for key, value in stats.items():
                stat_columns.setdefault(key, [None] * n)[i] = value
            if failure is not None:
                if self.mode == "annotate":
                    flags[i].append(self.name)
                elif reasons[i] is None:
                    reasons[i] = f"{self.name}: {failure}"
        batch.update({_stat_column(self.name, k): v for k, v in stat_columns.items()})
        batch["drop_reason"] = reasons
        batch["flags"] = flags
        return batch


def _stat_column(step: str, key: str) -> str:
    return f"stat_{step}" if key == step else f"stat_{step}_{key}"


def record_edits(batch: Batch, step: str, changed: Iterable[bool]) -> None:
    """Append `step` to the `edits` column of each document it changed."""
    n = len(batch["text"])
    edits = [list(e) for e in batch.get("edits") or [[] for _ in range(n)]]
    for i, was_changed in enumerate(changed):
        if was_changed:
            edits[i].append(step)
    batch["edits"] = edits


def _fallbacks(lang: str) -> list[str]:
    """`zh-Hans-CN` -> [`zh-Hans-CN`, `zh-Hans`, `zh`]."""
    parts = lang.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]


def build_step(spec: str | dict[str, Any]) -> Step:
    """A step from its recipe entry: a name, or `{name, params, mode}`."""
    if isinstance(spec, str):
        spec = {"name": spec}
    spec = dict(spec)
    name = spec.pop("name", None)
    if name not in STEPS:
        raise ValueError(f"unknown processing step {name!r}; known steps: {', '.join(sorted(STEPS))}")
    params = spec.pop("params", None)
    mode = spec.pop("mode", "apply")
    if spec:
        raise ValueError(f"step {name!r}: unknown key(s) {sorted(spec)}; allowed: name, params, mode")
    if params is not None and not (isinstance(params, dict) and all(isinstance(v, dict) for v in params.values())):
        raise ValueError(f"step {name!r}: params must map a language (or 'default') to a mapping of parameters")
    return STEPS[name](params=params, mode=mode)
