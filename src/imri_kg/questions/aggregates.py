"""Maintained aggregates: evidence and cited studies per code x case cell, and the groups each theme spans, kept per
data version so that the most-asked questions answer without scanning the graph.

`read_aggregates(store, version=...)` computes them with a few SPARQL queries: in memory at build and after every
update; for an on-disk store, `write_aggregates(DIR)` computes them after `build`, `import` and `load` and keeps
them next to the store in `.DIR.aggregates.json`, keyed by the store's files (`store_version`), and a server reads
them back when they are still those of the store (else it computes them anew). `Aggregates.answer(request)` answers the library questions they hold, as the engine
would: the same rows in the same order, written by pyoxigraph in the asked format (the rows are handed to it as a
VALUES block on an empty store). Anything they do not hold (another question, a format that is not a results
format, a parameter that does not resolve, more rows than the cap) gets None, and the caller asks the engine.

Cells are generic: a `CellSpec` names the class of the coded items (or none), the predicates from an item to its
code, its case and the studies it cites. `table5` is the knowledge base's (imri:Example, imri:theme,
imri:innovationGroup, imri:citation); `projects` the review projects' (imri:code, imri:case, cito:cites; see
examples/README.md), so a code x case matrix over any project can be read from `cells["projects"]`.

The questions they answer name each row's project as the questions do (queries/library/README.md): an example's
project is the one whose paper (prov:wasDerivedFrom the project) its citations are cited by, so `citations` and
`spans` are kept per project.
"""

import gc
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, Store, parse

from imri_kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from imri_kg.api.engine import Answer, QuestionRequest

IMRI = "https://w3id.org/imri/ontology#"
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class CellSpec:
    item_class: str | None
    code: str
    case: str
    study: str


SPECS = {
    "table5": CellSpec(IMRI + "Example", IMRI + "theme", IMRI + "innovationGroup", IMRI + "citation"),
    "projects": CellSpec(None, IMRI + "code", IMRI + "case", "http://purl.org/spar/cito/cites"),
}


@dataclass
class Cell:
    """One code x case cell: how many coded items, and which studies they cite."""

    evidence: int = 0
    studies: set = field(default_factory=set)


@dataclass
class Aggregates:
    version: str
    store: Store
    base: str
    max_rows: int
    cells: dict[str, dict[tuple[NamedNode, NamedNode], Cell]]  # spec name -> (case, code) -> cell
    citations: dict[tuple[Literal, NamedNode, NamedNode], set]  # (project, group, theme) -> the project's citations
    spans: dict[tuple[Literal, NamedNode], set]  # (project, theme (a imri:Theme)) -> the groups it spans there
    labels: dict[NamedNode, list[Literal]]  # skos:prefLabel of every code, case, theme and group above
    _questions: dict | None = None

    def answer(self, request: "QuestionRequest", *, version: str) -> "Answer | None":
        """The answer to a library question from the aggregates, or None when they do not hold it."""
        if version != self.version or request.name not in _ANSWERS:
            return None
        from imri_kg.api.engine import RESULTS, RESULTS_TYPES, Answer, NotAcceptable, _negotiate
        from imri_kg.errors import InputError
        from imri_kg.questions import library
        from imri_kg.questions.params import to_bindings

        if self._questions is None:
            self._questions = library()
        question = self._questions.get(request.name)
        try:
            media = _negotiate(request.accept, request.format, RESULTS)
            bindings = to_bindings(self.store, question, dict(request.values), base=self.base)
        except (NotAcceptable, InputError):
            return None
        names, rows = _ANSWERS[request.name](self, bindings)
        if len(rows) > self.max_rows:
            return None
        body = to_results(names, rows, RESULTS_TYPES[media])
        return Answer(200, media, body, (("X-SPARQL-MaxRows", str(self.max_rows)), ("X-IMRI-Aggregate", "hit")))

    def matrix(self, spec: str = "projects") -> dict[tuple[str, str], tuple[int, int]]:
        """Every (case, code) cell of `spec` with its number of coded items and of distinct cited studies."""
        return {(case.value, code.value): (c.evidence, len(c.studies)) for (case, code), c in self.cells[spec].items()}


def read_aggregates(store: Store, *, base: str = "https://w3id.org/imri/", version: str, max_rows: int = 10_000
                    ) -> Aggregates:
    """The aggregates of `store` at `version`, computed by SPARQL over the union of its graphs."""
    cells: dict[str, dict] = {}
    nodes: set = set()
    for name, spec in SPECS.items():
        typed = f"?e a <{spec.item_class}> . " if spec.item_class else ""
        query = (f"SELECT ?case ?code (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {typed}?e <{spec.code}> ?code ; "
                 f"<{spec.case}> ?case . }} GROUP BY ?case ?code")
        table: dict = {}
        for s in _select(store, query):
            table[(s["case"], s["code"])] = Cell(int(s["n"].value))
        query = (f"SELECT DISTINCT ?case ?code ?study WHERE {{ {typed}?e <{spec.code}> ?code ; <{spec.case}> ?case ; "
                 f"<{spec.study}> ?study . }}")
        for s in _select(store, query):
            table[(s["case"], s["code"])].studies.add(s["study"])
        cells[name] = table
        nodes |= {n for key in table for n in key}
    citations: dict = {}
    for s in _select(store, f"SELECT DISTINCT ?project ?group ?theme ?citation WHERE {{ {EXAMPLES} }}"):
        citations.setdefault((s["project"], s["group"], s["theme"]), set()).add(s["citation"])
        nodes |= {s["group"], s["theme"]}
    spans: dict = {}
    for s in _select(store, f"SELECT DISTINCT ?project ?theme ?group WHERE {{ {EXAMPLES} ?theme a imri:Theme }}"):
        spans.setdefault((s["project"], s["theme"]), set()).add(s["group"])
    labels: dict = {}
    iris = [n for n in nodes if isinstance(n, NamedNode)]
    for start in range(0, len(iris), 5000):
        values = " ".join(str(n) for n in iris[start:start + 5000])
        for s in _select(store, f"SELECT DISTINCT ?x ?label WHERE {{ VALUES ?x {{ {values} }} ?x skos:prefLabel ?label }}"):
            labels.setdefault(s["x"], []).append(s["label"])
    return Aggregates(version, store, base, max_rows, cells, citations, spans, labels)


# An example of a project cites a reference of the project's paper, as the questions below say (queries/library/).
EXAMPLES = ("{ SELECT ?citation ?reviewProject WHERE { ?citation cito:hasCitingEntity/prov:wasDerivedFrom ?reviewProject } } "
            "?e imri:citation ?citation ; imri:innovationGroup ?group ; imri:theme ?theme ; a imri:Example . "
            "?reviewProject dcterms:identifier ?project . FILTER EXISTS { ?reviewProject a imri:ReviewProject }")


def _select(store: Store, query: str):
    return store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)


def to_results(names: list[str], rows: list[tuple], fmt: QueryResultsFormat) -> bytes:
    """Rows of terms (None = unbound) written by pyoxigraph as a SPARQL results document, in order."""
    head = " ".join(f"?{n}" for n in names)
    body = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows)
    query = f"SELECT {head} WHERE {{ VALUES ({head}) {{ {body} }} }}"
    return Store().query(query).serialize(format=fmt) or b""


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)


def _sort_key(term: Literal | None) -> str:
    return "" if term is None else term.value


def _themes_by_group(agg: Aggregates, bindings: dict) -> tuple[list[str], list[tuple]]:
    group, project = bindings.get("group"), bindings.get("project")
    rows = []
    for (p, g, t), studies in agg.citations.items():
        if (group is not None and g != group) or (project is not None and p != project):
            continue
        for gl in agg.labels.get(g, ()):
            for tl in agg.labels.get(t, ()):
                rows.append((p, g, gl, t, tl, _count(len(studies))))
    rows.sort(key=lambda r: (_sort_key(r[2]), _sort_key(r[4]), _sort_key(r[0])))
    return ["project", "group", "groupLabel", "theme", "themeLabel", "citations"], rows


def _groups_for_theme(agg: Aggregates, bindings: dict) -> tuple[list[str], list[tuple]]:
    theme, project = bindings.get("theme"), bindings.get("project")
    rows = []
    for (p, g, t), studies in agg.citations.items():
        if (theme is not None and t != theme) or (project is not None and p != project):
            continue
        for gl in agg.labels.get(g, ()):
            rows.append((p, t, g, gl, _count(len(studies))))
    rows.sort(key=lambda r: (_sort_key(r[3]), _sort_key(r[0])))
    return ["project", "theme", "group", "groupLabel", "citations"], rows


def _span_rows(agg: Aggregates, bindings: dict) -> list[tuple]:
    project = bindings.get("project")
    rows = [(p, t, tl, len(groups)) for (p, t), groups in agg.spans.items() if project is None or p == project
            for tl in agg.labels.get(t, ())]
    rows.sort(key=lambda r: (-r[3], _sort_key(r[2]), _sort_key(r[0])))
    return rows


def _ranked_by_span(agg: Aggregates, bindings: dict) -> tuple[list[str], list[tuple]]:
    return ["project", "theme", "themeLabel", "groups"], [(p, t, tl, _count(n)) for p, t, tl, n in
                                                          _span_rows(agg, bindings)]


def _cross_cutting(agg: Aggregates, bindings: dict) -> tuple[list[str], list[tuple]]:
    least = bindings.get("minGroups")
    rows = [] if least is None else [(p, t, tl, _count(n), least) for p, t, tl, n in _span_rows(agg, bindings)
                                     if n >= int(least.value)]
    return ["project", "theme", "themeLabel", "groups", "minGroups"], rows


_ANSWERS = {
    "themes-by-innovation-group": _themes_by_group,
    "groups-for-theme": _groups_for_theme,
    "themes-ranked-by-group-span": _ranked_by_span,
    "cross-cutting-themes": _cross_cutting,
}
HELD = frozenset(_ANSWERS)  # the library questions the aggregates answer


def store_version(store_dir: Path | str) -> str:
    """A name for the data of an on-disk store: a hash of its files' names and sizes (RocksDB writes new files on
    every write, and even on every read-write opening; a read-only opening changes nothing)."""
    files = sorted((f.name, f.stat().st_size) for f in Path(store_dir).iterdir()
                   if f.is_file() and not f.name.startswith(("LOG", "LOCK")))
    return hashlib.sha256(repr(files).encode()).hexdigest()[:32]


def aggregates_path(store_dir: Path | str) -> Path:
    store_dir = Path(store_dir).absolute()
    return store_dir.parent / f".{store_dir.name}.aggregates.json"


def write_aggregates(store_dir: Path | str, *, base: str = "https://w3id.org/imri/") -> Aggregates:
    """Compute the aggregates of the on-disk store at `store_dir` (no other handle on it may be open in this
    process) and keep them next to it, keyed by `store_version`."""
    gc.collect()  # a store handle just dropped by the caller holds the store's lock until it is freed
    store = Store.read_only(str(store_dir))
    version = store_version(store_dir)
    aggregates = read_aggregates(store, base=base, version=version)
    path = aggregates_path(store_dir)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(_to_json(aggregates)), encoding="utf-8")
    os.replace(partial, path)
    return aggregates


def keep_aggregates(store_dir: Path | str | None, *, base: str = "https://w3id.org/imri/") -> None:
    """After a write to an on-disk store: compute and keep its aggregates (a server would otherwise compute them
    when it opens the store). Nothing for an in-memory build or a SPARQL engine; a store still locked is left."""
    if store_dir is None or "://" in str(store_dir):
        return
    try:
        write_aggregates(store_dir, base=base)
    except (OSError, RuntimeError):
        pass  # best effort: a server computes them itself when none are kept (or the store is still locked)
    gc.collect()  # let go of the read-only handle now: a later open in this process must not meet its files


def has_current_aggregates(store_dir: Path | str) -> bool:
    """Whether aggregates kept next to the store are those of its current files (read from the file's start)."""
    try:
        with open(aggregates_path(store_dir), encoding="utf-8") as f:
            head = f.read(100)
    except OSError:
        return False
    return head.startswith(f'{{"version": "{store_version(store_dir)}"')


def read_saved_aggregates(store_dir: Path | str, store: Store, *, base: str, max_rows: int) -> Aggregates | None:
    """The aggregates kept next to the store, if they are those of its current files; else None."""
    try:
        data = json.loads(aggregates_path(store_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != store_version(store_dir) or "citations" not in data:
        return None  # another store's, or kept by a version without the per-project citations
    return _from_json(data, store, base=base, max_rows=max_rows)


def current_aggregates(store_dir: Path | str, store: Store, *, base: str, max_rows: int) -> Aggregates:
    """The aggregates of an on-disk store: the kept ones when current, else computed now (and kept if possible)."""
    kept = read_saved_aggregates(store_dir, store, base=base, max_rows=max_rows)
    if kept is not None:
        return kept
    aggregates = read_aggregates(store, base=base, version=store_version(store_dir), max_rows=max_rows)
    try:
        aggregates_path(store_dir).write_text(json.dumps(_to_json(aggregates)), encoding="utf-8")
    except OSError:
        pass  # a read-only place: computed again next time
    return aggregates


def _to_json(agg: Aggregates) -> dict:
    index: dict[str, int] = {}

    def i(term) -> int:
        return index.setdefault(str(term), len(index))

    cells = {name: [[i(case), i(code), c.evidence, sorted(i(s) for s in c.studies)]
                    for (case, code), c in table.items()] for name, table in agg.cells.items()}
    citations = [[i(p), i(g), i(t), sorted(i(c) for c in studies)] for (p, g, t), studies in agg.citations.items()]
    spans = [[i(p), i(t), sorted(i(g) for g in groups)] for (p, t), groups in agg.spans.items()]
    labels = [[i(n), [i(label) for label in ls]] for n, ls in agg.labels.items()]
    return {"version": agg.version, "terms": list(index), "cells": cells, "citations": citations, "spans": spans,
            "labels": labels}


def _from_json(data: dict, store: Store, *, base: str, max_rows: int) -> Aggregates:
    # The terms are N-Triples as pyoxigraph wrote them; pyoxigraph reads them back as objects of a document.
    doc = "".join(f"<urn:t> <urn:t> {t} .\n" for t in data["terms"])
    terms = [q.object for q in parse(doc.encode(), format=RdfFormat.N_TRIPLES)]
    cells = {name: {(terms[a], terms[b]): Cell(n, {terms[s] for s in studies}) for a, b, n, studies in rows}
             for name, rows in data["cells"].items()}
    citations = {(terms[p], terms[g], terms[t]): {terms[c] for c in studies} for p, g, t, studies in data["citations"]}
    spans = {(terms[p], terms[t]): {terms[g] for g in groups} for p, t, groups in data["spans"]}
    labels = {terms[n]: [terms[x] for x in ls] for n, ls in data["labels"]}
    return Aggregates(data["version"], store, base, max_rows, cells, citations, spans, labels)
