"""What the tables still read by kb/ may name from the example projects: each one's slug and the parts its parts.csv
lists ('piat2022#table-1'), and the codes of its codebook. The papers' records, parts, notes and codebooks are stated
by examples/*/views/."""

import csv
import io
from collections.abc import Collection
from pathlib import Path

from imri_kg.kb.tables import Row


def read_sources(examples: Path) -> dict[str, str]:
    """'slug' and 'slug#part' for every example project folder (examples/<slug>/parts.csv), each with its label
    (a slug's is the slug)."""
    sources: dict[str, str] = {}
    for parts in sorted(examples.glob("*/parts.csv")):
        sources[parts.parent.name] = parts.parent.name
        sources.update((row["part"], row["label"]) for row in example_rows(parts))
    return sources


def example_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file of an example project, its comment lines skipped."""
    lines = [ln for ln in path.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def check_source(row: Row, sources: Collection[str], column: str = "source") -> str:
    """The row's provenance, which must name a known study part."""
    value = row.need(column)
    if value not in sources:
        raise row.error(column, f'"{value}" is not a known source; known: {", ".join(sorted(sources))}.')
    return value
