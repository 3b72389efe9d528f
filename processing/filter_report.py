"""The filter section of a build report: per language, each statistic's histogram with its threshold drawn,
how many documents each filter dropped (or flagged, in annotate mode), and sample texts it dropped.

`filter_report(table, steps, out_dir)` takes the annotated rows (a pyarrow Table, pandas DataFrame or a dict of
columns with `text`, `lang`, `stat_*`, `drop_reason`, `flags`) and the filter steps that produced them.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from .base import Filter, Step

SAMPLES = 3
SAMPLE_CHARS = 300

# Which parameter is the threshold of which statistic, for the line on the histogram.
THRESHOLDS = {
    "stat_word_count": ("min_words", "max_words"), "stat_char_repetition": ("max_ratio",),
    "stat_word_repetition": ("max_ratio",), "stat_special_characters": ("max_ratio",),
    "stat_stopwords": ("min_ratio",), "stat_flagged_words": ("max_ratio",), "stat_lang_id": ("min_score",),
    "stat_perplexity": ("max_perplexity",), "stat_gopher_quality_words": ("min_doc_words",),
    "stat_gopher_quality_avg_word_length": ("min_avg_word_length", "max_avg_word_length"),
    "stat_gopher_quality_alpha_words_ratio": ("max_non_alpha_words_ratio",),
    "stat_gopher_quality_stop_words": ("min_stop_words",),
    "stat_fineweb_quality_line_punct_ratio": ("line_punct_thr",),
    "stat_fineweb_quality_short_line_ratio": ("short_line_thr",),
    "stat_fineweb_quality_char_dup_ratio": ("char_duplicates_ratio",),
    "stat_fineweb_quality_list_ratio": ("new_line_ratio",), "stat_c4_quality_sentences": ("min_sentences",),
}


def _columns(table: Any) -> dict[str, list]:
    if isinstance(table, dict):
        return table
    if hasattr(table, "to_pydict"):
        return table.to_pydict()
    return {name: list(table[name]) for name in table.columns}  # pandas


def _threshold(step: Step, column: str, lang: str) -> list[float]:
    params = step.params_for(lang)
    keys = THRESHOLDS.get(column, ())
    if column.startswith("stat_gopher_repetition_"):
        stat = column.removeprefix("stat_gopher_repetition_")
        match = re.match(r"(top|duplicated)_(\d+)_", stat + "_")
        if match:
            table = params["top_n_grams" if match.group(1) == "top" else "dup_n_grams"]
            value = table.get(int(match.group(2)), table.get(match.group(2)))
            return [value] if value is not None else []
        return [params[stat]] if params.get(stat) is not None else []
    return [params[k] for k in keys if isinstance(params.get(k), (int, float))]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def filter_report(table: Any, steps: Iterable[Step], out_dir: str | Path, bins: int = 40,
                  min_plot_documents: int = 1) -> dict[str, Any]:
    """Write one histogram PNG per (language, statistic) of languages with at least `min_plot_documents`
    documents under `out_dir` (smaller ones get min/median/max in the report instead), and return
    `{"languages": {lang: {"documents", "dropped": {filter: n}, "flagged": {filter: n}, "samples": {filter: [...]},
    "histograms": {column: png path, or {min, median, max}}}}}`."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    columns = _columns(table)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n = len(columns["text"])
    langs = [lang or "unknown" for lang in columns.get("lang") or [None] * n]
    reasons = columns.get("drop_reason") or [None] * n
    flags = columns.get("flags") or [[] for _ in range(n)]
    filters = [s for s in steps if isinstance(s, Filter)]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, lang in enumerate(langs):
        by_lang[lang].append(i)
    report: dict[str, Any] = {"languages": {}}
    for lang, rows in sorted(by_lang.items()):
        dropped = Counter(reasons[i].split(":")[0] for i in rows if reasons[i])
        flagged = Counter(name for i in rows for name in (flags[i] or []))
        samples: dict[str, list[str]] = defaultdict(list)
        for i in rows:
            name = (reasons[i] or "").split(":")[0] or next(iter(flags[i] or []), None)
            if name and len(samples[name]) < SAMPLES:
                samples[name].append((columns["text"][i] or "")[:SAMPLE_CHARS])
        histograms = {}
        for step in filters:
            for column in sorted(c for c in columns if c == f"stat_{step.name}" or c.startswith(f"stat_{step.name}_")):
                values = [columns[column][i] for i in rows]
                values = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
                if not values:
                    continue
                if len(values) < min_plot_documents:
                    histograms[column] = {"min": min(values), "median": statistics.median(values),
                                          "max": max(values)}
                    continue
                fig, ax = plt.subplots(figsize=(5, 3))
                fig.subplots_adjust(left=0.12, right=0.97, bottom=0.12, top=0.9)  # tight_layout doubles the cost
                ax.hist(values, bins=bins, color="#4c72b0")
                low, high = min(values), max(values)
                span = (high - low) or abs(high) or 1.0
                for limit in _threshold(step, column, lang):
                    if low - span <= limit <= high + span:
                        ax.axvline(limit, color="#c44e52", linestyle="--", label=f"threshold {limit:g}")
                    else:  # far off the data (e.g. max_words=100000): a line there would squash the histogram
                        ax.plot([], [], " ", label=f"threshold {limit:g} (off scale)")
                ax.set_title(f"{lang}: {column.removeprefix('stat_')} ({len(values)} documents)", fontsize=9)
                if ax.get_legend_handles_labels()[0]:
                    ax.legend(fontsize=8)
                path = out / f"{_slug(lang)}__{_slug(column)}.png"
                fig.savefig(path, dpi=80)
                plt.close(fig)
                histograms[column] = str(path)
        report["languages"][lang] = {"documents": len(rows), "dropped": dict(dropped), "flagged": dict(flagged),
                                     "samples": dict(samples), "histograms": histograms}
    return report
