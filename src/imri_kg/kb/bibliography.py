"""The sources that the tables still read by kb/ may name: each example project's slug and the parts of it that its
parts.csv lists ('piat2022#table-1'). The papers' records, parts and notes are stated by examples/*/views/."""

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
        lines = [ln for ln in parts.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("#")]
        sources.update((row["part"], row["label"]) for row in csv.DictReader(io.StringIO("\n".join(lines))))
    return sources


def check_source(row: Row, sources: Collection[str], column: str = "source") -> str:
    """The row's provenance, which must name a known study part."""
    value = row.need(column)
    if value not in sources:
        raise row.error(column, f'"{value}" is not a known source; known: {", ".join(sorted(sources))}.')
    return value
