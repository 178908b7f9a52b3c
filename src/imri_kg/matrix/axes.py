"""Matrix axes: parsing what a reviewer writes (`level:theme`, `dimension:site`, `codes:a;b`, `cases:x;y`) and reading
the items it names from the graph with the axis queries of queries/matrix/."""

import re
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store

from imri_kg.errors import InputError
from imri_kg.matrix.model import Item
from imri_kg.matrix.sparql import fill, select

AXIS_KINDS = {
    "level": "every code of a code level, e.g. level:theme",
    "dimension": "every case of a case dimension, e.g. dimension:group",
    "codes": "codes picked by id, label or IRI, separated by ';', e.g. codes:funding;Staff time",
    "cases": "cases picked by id (or DIMENSION/ID), label or IRI, separated by ';', e.g. cases:peru;kenya",
    "items": "codes or cases picked as for codes: and cases:, e.g. items:funding;peru",
}
_CLASSES = {"codes": ("Code",), "cases": ("Case",), "items": ("Code", "Case")}
IMRI = "https://w3id.org/imri/ontology#"


@dataclass(frozen=True)
class Axis:
    kind: str
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind}:{';'.join(self.names)}"


def parse_axis(text: str) -> Axis:
    """An axis from `KIND:NAME[;NAME...]`; InputError saying what to write when it does not parse."""
    kind, sep, rest = (text or "").strip().partition(":")
    kind = kind.strip().lower()
    names = tuple(n.strip() for n in re.split(r";", rest) if n.strip())
    if not sep or kind not in AXIS_KINDS or not names:
        raise InputError(f'"{text}" is not an axis; write KIND:NAME with KIND one of: '
                         + "; ".join(f"{k} ({v})" for k, v in AXIS_KINDS.items()) + ".")
    if kind in ("level", "dimension") and len(names) > 1:
        raise InputError(f'"{text}": a {kind} axis names one {kind}; to pick several codes or cases use codes: or cases:.')
    return Axis(kind, names)


def read_items(stores: list[Store], axis: Axis, *, projects: list[NamedNode] | None) -> list[Item]:
    """The items of an axis, in order: picked codes and cases as given, a level's or dimension's by project, then
    order (imri:order, the `order` column), notation (numeric when it is a number), then label. InputError when a name names nothing."""
    found: dict[str, Item] = {}
    for name in axis.names:
        if axis.kind == "level":
            sparql = fill("axis-level", levelName=[Literal(name)], project=projects)
        elif axis.kind == "dimension":
            sparql = fill("axis-dimension", dimensionName=[Literal(name)], project=projects)
        else:
            classes = [NamedNode(IMRI + c) for c in _CLASSES[axis.kind]]
            sparql = fill("axis-items", name=[Literal(name)], **{"class": classes}, project=projects)
        hits = [r for store in stores for r in select(store, sparql)]
        if not hits:
            raise InputError(f'{axis.kind}:{name} names nothing in {_where(projects)}; '
                             + _known(stores, axis.kind, projects))
        items = {r["item"]: Item(r["item"], r["label"], r["project"], r["projectLabel"], r["notation"]) for r in hits}
        orders = {r["item"]: int(r["order"]) if r.get("order") else 1 << 30 for r in hits}
        for item in sorted(items.values(), key=lambda i: _order(i, orders[i.iri])):
            found.setdefault(item.iri, item)
    return list(found.values())


def _order(item: Item, order: int) -> tuple:
    n = item.notation
    number = float(n) if re.fullmatch(r"\d+(\.\d+)?", n) else float("inf")
    return (item.project_label, item.project, order, number, n, item.label.casefold(), item.iri)


def _where(projects: list[NamedNode] | None) -> str:
    return "the projects " + ", ".join(p.value for p in projects) if projects else "any project"


def _known(stores: list[Store], kind: str, projects: list[NamedNode] | None) -> str:
    if kind == "level":
        sparql = fill("known-levels", project=projects)
    elif kind == "dimension":
        sparql = fill("known-dimensions", project=projects)
    else:
        return "check the spelling (an id, a label or an IRI)."
    names = sorted({r["name"] for store in stores for r in select(store, sparql)})
    return f"known {kind}s: " + (", ".join(names) if names else "none") + "."
