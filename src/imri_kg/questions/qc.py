"""Quality control: every queries/qc/*-violation.rq must return no rows."""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

from imri_kg.questions import QC_DIR, read_question, rows, run


@dataclass(frozen=True)
class QcResult:
    name: str
    title: str
    violations: list[dict[str, str]]


def qc_paths(directory: Path = QC_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*-violation.rq"))


def run_qc(store: Store, directory: Path = QC_DIR) -> list[QcResult]:
    """Run every QC query; a result with violations names the offending records."""
    results = []
    for path in qc_paths(directory):
        q = read_question(path)
        results.append(QcResult(q.name, q.title, rows(run(store, q.sparql))))  # type: ignore[arg-type]
    return results
