"""Running the matrix coding query: the axes' items, the cell counts and, on request, each cell's excerpts."""

import re

from pyoxigraph import NamedNode, Store

from imri_kg.errors import InputError
from imri_kg.matrix.axes import Axis, parse_axis, read_items
from imri_kg.matrix.model import Cell, Excerpt, Matrix, Study
from imri_kg.matrix.sparql import fill, select
from imri_kg.store import DEFAULT_BASE

_PROJECTS = "SELECT DISTINCT ?project WHERE { ?project a imri:ReviewProject } ORDER BY ?project"


def to_matrix(store: Store, *, rows: str | Axis, cols: str | Axis, projects: list[str] | None = None,
              excerpts: bool = False, base: str = DEFAULT_BASE) -> Matrix:
    """The matrix of `rows` × `cols` (axis text such as "level:theme") over `projects` (slugs or IRIs; None or
    empty: every project; the two papers are the projects piat2021 and piat2022 of every build). With `excerpts`,
    each cell lists its excerpts and their studies."""
    row_axis = rows if isinstance(rows, Axis) else parse_axis(rows)
    col_axis = cols if isinstance(cols, Axis) else parse_axis(cols)
    stores = [store]
    wanted = to_project_iris(stores, projects or [], base=base)
    row_items = read_items(stores, row_axis, projects=wanted)
    col_items = read_items(stores, col_axis, projects=wanted)
    values = {"row": [NamedNode(i.iri) for i in row_items], "col": [NamedNode(i.iri) for i in col_items]}
    cells: dict[tuple[str, str], Cell] = {}
    for s in stores:
        for r in select(s, fill("cells", **values)):
            cell = cells.setdefault((r["row"], r["col"]), Cell())
            cell.excerpts += int(r["excerpts"])
            cell.studies += int(r["studies"])
    if excerpts:
        for s in stores:
            _add_excerpts(cells, select(s, fill("cell-excerpts", **values)))
    return Matrix(row_items, col_items, {k: v for k, v in cells.items() if v.excerpts}, str(row_axis),
                  str(col_axis), tuple(p.value for p in wanted or []), excerpts)


def _add_excerpts(cells: dict[tuple[str, str], Cell], found: list[dict[str, str]]) -> None:
    by_cell: dict[tuple[str, str], dict[str, Excerpt]] = {}
    for r in found:
        excerpts = by_cell.setdefault((r["row"], r["col"]), {})
        e = excerpts.setdefault(r["excerpt"], Excerpt(r["excerpt"], r["text"], r["location"], r["project"]))
        if r["study"] and all(s.iri != r["study"] for s in e.studies):
            e.studies.append(Study(r["study"], r["reference"], r["key"], r["citation"], r["title"], r["year"],
                                   r["doi"]))
    for key, excerpts in by_cell.items():
        for e in excerpts.values():
            e.studies.sort(key=_study_order)
        cells.setdefault(key, Cell()).items = sorted(excerpts.values(), key=lambda e: e.iri)


def _study_order(s: Study) -> tuple:
    return (int(s.reference) if s.reference.isdigit() else 1 << 30, s.key, s.iri)


def to_project_iris(stores: list[Store], given: list[str], *, base: str) -> list[NamedNode] | None:
    """The projects asked for, as IRIs; None for all. InputError naming the known ones when one is unknown."""
    if not given:
        return None
    known = {r["project"] for s in stores for r in select(s, _PROJECTS)}
    wanted = []
    for name in given:
        iri = name if re.match(r"[a-z][a-z0-9+.-]*:", name) else f"{base}project/{name}"
        if iri not in known:
            slugs = sorted(k.rsplit("/", 1)[-1] for k in known)
            raise InputError(f'"{name}" is not a project in the store; projects: {", ".join(slugs) or "none"}.')
        wanted.append(NamedNode(iri))
    return wanted
