"""SSSOM/TSV mapping sets: reading them with located errors, and writing them back (SSSOM 1.0 TSV format).

A file is a YAML metadata block, each line starting with '#', then a tab-separated table with one mapping a
row. Only what this project can load is accepted: SKOS mapping predicates, SEMAPV justifications, CURIEs
whose prefixes the curie_map (or SSSOM's built-in prefixes) define, and confidences between 0 and 1.
"""

import csv
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from imri_kg.errors import InputError

SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
SEMAPV_NS = "https://w3id.org/semapv/vocab/"
BUILTIN_PREFIXES = {  # SSSOM 1.0, "Built-in prefixes"
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "skos": SKOS_NS, "semapv": SEMAPV_NS,
    "sssom": "https://w3id.org/sssom/",
}
PREDICATES = tuple(SKOS_NS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"))
JUSTIFICATIONS = tuple(SEMAPV_NS + j for j in (
    "LexicalMatching", "LogicalReasoning", "CompositeMatching", "UnspecifiedMatching",
    "SemanticSimilarityThresholdMatching", "LexicalSimilarityThresholdMatching", "MappingChaining",
    "MappingReview", "ManualMappingCuration", "MappingInversion", "StructuralMatching", "InstanceBasedMatching",
    "BackgroundKnowledgeBasedMatching"))
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
REQUIRED_METADATA = ("mapping_set_id", "license")
# Columns (and metadata keys) whose values are entity references written as CURIEs.
ENTITY_SLOTS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "author_id", "reviewer_id",
                "creator_id", "subject_source", "object_source")
# Slots that hold a list ('|'-separated in a cell, a YAML list in the header).
LIST_SLOTS = ("author_id", "author_label", "reviewer_id", "reviewer_label", "creator_id", "creator_label",
              "see_also")
# The order columns and metadata keys are written in (SSSOM schema order); others follow alphabetically.
COLUMN_ORDER = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                "mapping_justification", "subject_source", "object_source", "author_id", "author_label",
                "reviewer_id", "reviewer_label", "creator_id", "creator_label", "mapping_date", "confidence",
                "see_also", "comment")
METADATA_ORDER = ("curie_map", "mapping_set_id", "mapping_set_version", "mapping_set_title",
                  "mapping_set_description", "license", "creator_id", "creator_label", "mapping_date",
                  "publication_date", "see_also", "comment")
CURIE = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*):(\S*)")
SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass
class MappingSet:
    """One SSSOM mapping set: metadata (without the curie_map), the curie_map, and its rows of strings."""

    metadata: dict[str, Any]
    curie_map: dict[str, str]
    rows: list[dict[str, str]]
    lines: list[int] = field(default_factory=list)  # file line of each row, for located errors

    @property
    def set_id(self) -> str:
        return str(self.metadata["mapping_set_id"])

    def prefixes(self) -> dict[str, str]:
        return {**BUILTIN_PREFIXES, **self.curie_map}

    def expand(self, curie: str) -> str:
        prefix, local = CURIE.fullmatch(curie).groups()  # type: ignore[union-attr]
        return self.prefixes()[prefix] + local

    def columns(self) -> list[str]:
        present = {c for r in self.rows for c, v in r.items() if v}
        return [c for c in COLUMN_ORDER if c in present] + sorted(present - set(COLUMN_ORDER))

    def key(self) -> tuple:
        """What a round trip must keep: metadata, prefixes and the set of rows (order aside)."""
        rows = frozenset(frozenset((k, v) for k, v in r.items() if v) for r in self.rows)
        meta = tuple(sorted((k, tuple(sorted(v)) if isinstance(v, list) else str(v)) for k, v in self.metadata.items()))
        return meta, tuple(sorted(self.curie_map.items())), rows


class SssomErrors(InputError):
    """Every problem found in one SSSOM file, each located; the first one gives the location."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, path=first.path, row=first.row, column=first.column, unit=first.unit)

    def __str__(self) -> str:
        more = f"\n  ({len(self.errors)} problems)" if len(self.errors) > 1 else ""
        return "\n".join(InputError.__str__(e) for e in self.errors) + more


def read_sssom(path: Path) -> MappingSet:
    """A mapping set from an SSSOM/TSV file; raises SssomErrors listing every problem, by line and column."""
    mset, errors = check_sssom(path)
    if errors:
        raise SssomErrors(errors)
    assert mset is not None
    return mset


def check_sssom(path: Path) -> tuple[MappingSet | None, list[InputError]]:
    """Parse and check an SSSOM/TSV file; returns the set (None if unreadable) and all problems found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [InputError("file not found.", path=path)]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [InputError(f"cannot read the file as UTF-8 text: {exc}", path=path)]
    lines = text.splitlines()
    n_header = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    errors: list[InputError] = []

    def err(message: str, line: int | None = None, column: str | None = None) -> None:
        errors.append(InputError(message, path=path, row=line, column=column, unit="line"))

    header = textwrap.dedent("\n".join(line[1:] for line in lines[:n_header]))
    try:
        meta = yaml.safe_load(header) if header.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        err(f"the '#' metadata block is not valid YAML: {getattr(exc, 'problem', exc)}.",
            mark.line + 1 if mark is not None else 1)
        return None, errors
    if not isinstance(meta, dict):
        err("the '#' metadata block must be a YAML mapping of keys to values.", 1)
        return None, errors
    curie_map = meta.pop("curie_map", None)
    if not isinstance(curie_map, dict):
        err("the metadata block has no curie_map (a YAML mapping of prefix: namespace IRI).", 1, "curie_map")
        curie_map = {}
    for prefix, ns in curie_map.items():
        if not (isinstance(prefix, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", prefix)):
            err(f'curie_map prefix "{prefix}" is not a valid prefix name.', _line_of(lines, f"{prefix}:"), "curie_map")
        elif not (isinstance(ns, str) and re.match(r"(https?://|urn:)\S+$", ns)):
            err(f'curie_map namespace for "{prefix}" must be an http(s) or urn IRI, not "{ns}".',
                _line_of(lines, f"{prefix}:"), "curie_map")
    for key in REQUIRED_METADATA:
        if not meta.get(key):
            err(f"the metadata block has no {key}; SSSOM requires one.", 1, key)
    for key, value in meta.items():
        line = _line_of(lines, f"{key}:")
        if not SLOT_NAME.fullmatch(str(key)):
            err(f'"{key}" is not an SSSOM metadata key.', line, str(key))
        elif key in LIST_SLOTS:
            meta[key] = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in meta[key]):
                err("must be a string or a list of strings.", line, key)
        elif isinstance(value, (dict, list)):
            err("must be a single value here.", line, key)
        else:
            meta[key] = str(value)
    for key in ("mapping_set_id", "license"):
        if meta.get(key) and not re.match(r"(https?://|urn:)\S+$", str(meta[key])):
            err(f'must be an IRI (http://..., https://... or urn:...), not "{meta[key]}".', _line_of(lines, key), key)
    mset = MappingSet({k: v for k, v in meta.items()}, {str(k): str(v) for k, v in curie_map.items()}, [], [])
    for key in ENTITY_SLOTS:
        for value in meta.get(key) or []:
            _check_curie(mset, value, err, _line_of(lines, key), key)
    if n_header == len(lines):
        err("has no table of mappings after the '#' metadata block.", n_header)
        return mset, errors
    reader = csv.reader(lines[n_header:], delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = [c.strip() for c in next(reader)]
    header_line = n_header + 1
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        err(f"missing column(s) {', '.join(missing)}; the header has {', '.join(columns)}.", header_line,
            missing[0])
    for c in columns:
        if not SLOT_NAME.fullmatch(c):
            err(f'"{c}" is not an SSSOM column name.', header_line, c)
    if len(set(columns)) != len(columns):
        err("repeats a column name.", header_line)
    if missing or errors:
        return mset, errors
    seen: dict[tuple[str, str, str], int] = {}
    for offset, cells in enumerate(reader):
        line = header_line + 1 + offset
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            err(f"has {len(cells)} cells but the header has {len(columns)} columns.", line)
            continue
        row = {c: v.strip() for c, v in zip(columns, cells)}
        _check_row(mset, row, line, err)
        triple = (row["subject_id"], row["predicate_id"], row["object_id"])
        if triple in seen:
            err(f"repeats the mapping on line {seen[triple]}.", line, "object_id")
        seen[triple] = line
        mset.rows.append(row)
        mset.lines.append(line)
    if not mset.rows and not errors:
        err("the table has no mappings.", header_line)
    return mset, errors


def _check_row(mset: MappingSet, row: dict[str, str], line: int, err: Any) -> None:
    for column in REQUIRED_COLUMNS:
        if not row[column]:
            err("is empty; this column is required.", line, column)
    for column in ENTITY_SLOTS:
        for value in _values(row.get(column, ""), column):
            _check_curie(mset, value, err, line, column)
    if _expandable(mset, row["predicate_id"]) and mset.expand(row["predicate_id"]) not in PREDICATES:
        err(f'"{row["predicate_id"]}" is not a known mapping predicate; use skos:exactMatch, skos:closeMatch, '
            "skos:broadMatch, skos:narrowMatch or skos:relatedMatch.", line, "predicate_id")
    if _expandable(mset, row["mapping_justification"]) and mset.expand(row["mapping_justification"]) not in JUSTIFICATIONS:
        err(f'"{row["mapping_justification"]}" is not a SEMAPV justification, such as '
            "semapv:ManualMappingCuration or semapv:LexicalMatching.", line, "mapping_justification")
    if row.get("confidence"):
        try:
            value = float(row["confidence"])
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            err(f'"{row["confidence"]}" is not a number between 0 and 1.', line, "confidence")
    if row.get("predicate_modifier"):
        err("negated mappings (predicate_modifier) cannot be loaded as SKOS triples; leave it empty.", line,
            "predicate_modifier")


def _expandable(mset: MappingSet, value: str) -> bool:
    m = CURIE.fullmatch(value)
    return bool(m) and m.group(1) in mset.prefixes()  # type: ignore[union-attr]


def _check_curie(mset: MappingSet, value: str, err: Any, line: int | None, column: str) -> None:
    m = CURIE.fullmatch(value)
    if m is None or value.startswith(("http://", "https://")):
        err(f'"{value}" is not a CURIE (prefix:local, e.g. skos:exactMatch).', line, column)
    elif m.group(1) not in mset.prefixes():
        err(f'"{value}" uses the prefix "{m.group(1)}", which the curie_map does not define.', line, column)


def _values(cell: str, column: str) -> list[str]:
    if not cell:
        return []
    return [v.strip() for v in cell.split("|")] if column in LIST_SLOTS else [cell]


def _line_of(lines: list[str], text: str) -> int | None:
    """The first header line mentioning `text`, for locating metadata problems."""
    return next((i + 1 for i, line in enumerate(lines) if line.startswith("#") and text in line), None)


def to_sssom_text(mset: MappingSet) -> str:
    """The SSSOM/TSV text of a mapping set: metadata in schema order, rows sorted by subject, predicate, object."""
    meta: dict[str, Any] = {"curie_map": dict(sorted(mset.curie_map.items()))}
    for key in [*METADATA_ORDER[1:], *sorted(mset.metadata)]:
        if key in mset.metadata and key not in meta:
            value = mset.metadata[key]
            meta[key] = sorted(value) if isinstance(value, list) else value  # a graph keeps no order

    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    out = ["#" + line for line in dumped.splitlines()]
    columns = mset.columns()
    out.append("\t".join(columns))
    for row in sorted(mset.rows, key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"])):
        cells = ["|".join(sorted(row.get(c, "").split("|"))) if c in LIST_SLOTS else row.get(c, "") for c in columns]
        if any("\t" in c or "\n" in c for c in cells):
            raise InputError(f"mapping {row['subject_id']} -> {row['object_id']} has a tab or newline in a cell.")
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def write_sssom(mset: MappingSet, path: Path) -> Path:
    path = Path(path)
    path.write_text(to_sssom_text(mset), encoding="utf-8")
    return path
