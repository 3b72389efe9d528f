"""The curator's build report, kept beside the corpus and never published: what each source lost and why,
with samples of the dropped and skipped documents to review, and per language a histogram of each filter's
statistic with its threshold drawn (to choose thresholds, see also `bigscience-corpus annotate`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .processing.filter_report import filter_report

#: A histogram of fewer documents says nothing a list of values does not: those get min/median/max instead.
MIN_PLOT_DOCUMENTS = 10

if TYPE_CHECKING:
    from .pipeline import BuildResult


def report_dir(out_root: str | Path, name: str) -> Path:
    """`<out_root>/<name>.report/`: beside the corpus folder, so a push of the corpus folder leaves it out."""
    return Path(out_root) / f"{name}.report"


def report(result: "BuildResult", folder: Path) -> dict[str, Any]:
    """The report's content; each source's filter statistics are drawn under `folder/filters/<source>/`."""
    return {
        "corpus": str(result.out_dir),
        "sources": {s.name: {"loaded": s.loaded, "skipped": s.skips.to_dict(),
                             "dropped": {step: {"count": count, "samples": s.drop_samples.get(step, [])}
                                         for step, count in s.dropped.most_common()},
                             "edited": dict(s.edits), "published": s.after_sampling,
                             "filters": filter_report(s.stats, s.steps, folder / "filters" / s.name,
                                                      min_plot_documents=MIN_PLOT_DOCUMENTS)
                             if s.stats is not None else {}}
                    for s in result.sources},
        "dedup": result.dedup,
    }


def write_report(result: "BuildResult", folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.json"
    path.write_text(json.dumps(report(result, folder), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
