"""Validation reports for people (text grouped by record, located by sheet row and column) and machines."""

import json
import re

from pyoxigraph import RdfFormat, parse, serialize

from imri_kg.importers.coding_sheet import label_message
from imri_kg.importers.files import Checked
from imri_kg.validation import SHAPES_NS, Result

REPORT_FORMATS = ("text", "json", "turtle")
SHORT = {"https://w3id.org/imri/ontology#": "imri:", "http://www.w3.org/2004/02/skos/core#": "skos:",
         "http://www.w3.org/ns/prov#": "prov:", "http://purl.org/dc/terms/": "dcterms:",
         "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
         "http://purl.org/spar/cito/": "cito:", "http://purl.org/ontology/bibo/": "bibo:", SHAPES_NS: "ishape:"}

PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#", "imri": "https://w3id.org/imri/ontology#", "ishape": SHAPES_NS}


def short(iri: str | None) -> str:
    for ns, prefix in SHORT.items():
        if iri and iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri or ""


def path_label(r: Result) -> str:
    """The result's path: an IRI shortened, or a complex path in SPARQL's syntax (its IRIs shortened where known)."""
    if r.path:
        return short(r.path)
    return re.sub(r"<([^<>]*)>", lambda m: short(m.group(1)) if short(m.group(1)) != m.group(1) else m.group(0),
                  r.path_text or "")


def message(checked: Checked, r: Result) -> str:
    """The result's message; an unresolved label or study in a sheet says what it is and what was meant."""
    if checked.sheet is not None and r.value_is_literal and r.value is not None:
        hint = label_message(checked.sheet, r.path, r.value)
        if hint:
            return hint
    text = r.message
    if r.value is not None and r.value_is_literal and f"{r.value}" not in text and (r.path or r.path_text):
        found = r.value if len(r.value) <= 60 else r.value[:59] + "…"
        text += f' (found "{found}")'
    return text


def _groups(checked: Checked) -> dict[tuple[int, str], list[tuple[str, Result]]]:
    """Results grouped by record: (row, focus) for sheet rows, (0, focus) for RDF records; each with its column."""
    groups: dict[tuple[int, str], list[tuple[str, Result]]] = {}
    for r in checked.report.results:
        where = checked.sheet.locate(r.focus, r.path, r.shape, r.value_nt) if checked.sheet else None
        key = (where[0], r.focus) if where else (0, r.focus)
        column = f'column "{where[1]}"' if where and where[1] else path_label(r) or short(r.shape)
        groups.setdefault(key, []).append((column, r))
    return dict(sorted(groups.items()))


def to_text(results: list[Checked]) -> str:
    """One block per record with problems, then one summary line per file."""
    lines: list[str] = []
    for checked in results:
        for (row, focus), items in _groups(checked).items():
            # an RDF record by its N-Triples form: <iri>, _:blank or "literal" (a blank node is not an IRI)
            lines.append(f"{checked.path.name} row {row}" if row else f"{checked.path.name}: {items[0][1].focus_nt}")
            for column, r in sorted(items, key=lambda i: (i[1].severity != "Violation", _col_order(checked, i[0]))):
                lines.append(f"  {r.severity}, {column}: {message(checked, r)}")  # one line per sh:result
        lines.append(f"{checked.path.name}: {summary(checked)}")
    return "\n".join(lines) + "\n"


def summary(checked: Checked) -> str:
    """'12,000 rows checked: all conform', or how many results of each severity, in how many rows."""
    report = checked.report
    what = "rows" if checked.sheet is not None else "records"
    head = f"{report.checked:,} {what if report.checked != 1 else what[:-1]} checked"
    if not report.results:
        return f"{head}: all conform.{skipped_note(checked)}"
    counts = [f"{len(report.violations):,} violation(s)", f"{len(report.warnings):,} warning(s)"]
    if report.infos:
        counts.append(f"{len(report.infos):,} info(s)")
    status = "conforms" if report.conforms else "does not conform"
    return f"{head}: {status}: {', '.join(counts)} in {_where(checked, what)}.{skipped_note(checked)}"


def _where(checked: Checked, what: str) -> str:
    """'3 rows', '3 rows and 1 other node' (a result about a node no row is, such as a scheme a rule counts), or
    '2 records'."""
    keys = _groups(checked)
    rows = sum(1 for row, _ in keys if row)
    others = len(keys) - rows
    if checked.sheet is None:
        return f"{others:,} {what if others != 1 else what[:-1]}"
    parts = [f"{rows:,} row{'s' if rows != 1 else ''}"] if rows else []
    if others:
        parts.append(f"{others:,} other node{'s' if others != 1 else ''}")
    return " and ".join(parts)


def skipped_note(checked: Checked) -> str:
    """' 1 example row skipped (...).' when the sheet had rows whose first cell starts with #, else ''."""
    n = checked.sheet.skipped if checked.sheet is not None else 0
    if not n:
        return ""
    return f" {n:,} example row{'s' if n != 1 else ''} skipped (first cell starting with #: never imported)."


def _col_order(checked: Checked, column: str) -> int:
    from imri_kg.importers.coding_sheet import COLUMNS

    names = list(COLUMNS)
    name = column.removeprefix('column "').removesuffix('"')
    return names.index(name) if name in names else len(names)


def to_json(results: list[Checked]) -> str:
    files = []
    for checked in results:
        items = []
        for r in checked.report.results:
            item: dict = r.to_dict()
            item["message"] = message(checked, r)
            where = checked.sheet.locate(r.focus, r.path, r.shape, r.value_nt) if checked.sheet else None
            if where:
                item.update(row=where[0], column=where[1] or None)
            items.append(item)
        files.append({"file": str(checked.path), "conforms": checked.report.conforms,
                      "checked": checked.report.checked,
                      **({"skipped": checked.sheet.skipped} if checked.sheet and checked.sheet.skipped else {}),
                      "violations": len(checked.report.violations), "warnings": len(checked.report.warnings),
                      "results": items})
    return json.dumps({"conforms": all(c.report.conforms for c in results), "files": files},
                      ensure_ascii=False, indent=2) + "\n"


def to_turtle(results: list[Checked]) -> str:
    """The sh:ValidationReport graph(s); sh:conforms follows the severity policy (only Violations count).

    Written by Oxigraph, which keeps each term as the data have it: rdflib writes "none"^^xsd:boolean as false
    and "0100"^^xsd:integer as 100."""
    text = "".join(checked.report.ntriples(tag=f"f{i}") for i, checked in enumerate(results))
    triples = [q.triple for q in parse(text, format=RdfFormat.N_TRIPLES)]
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES).decode()


def write_report(results: list[Checked], fmt: str) -> str:
    return {"text": to_text, "json": to_json, "turtle": to_turtle}[fmt](results)


__all__ = ["REPORT_FORMATS", "skipped_note", "summary", "to_json", "to_text", "to_turtle", "write_report"]
