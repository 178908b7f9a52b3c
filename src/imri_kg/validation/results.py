"""One report type for every engine: validation results (SHACL 3.6.2) and the sh:ValidationReport graph of them.

Severity policy (shapes/README.md): sh:Violation means the data are wrong and an import is refused; sh:Warning
and sh:Info ask a reviewer to look and do not stop an import. A custom severity (SHACL 2.1.4 allows any IRI) counts
as a Violation, as pySHACL counts it with allow_warnings.
"""

from dataclasses import dataclass, field

import rdflib
from pyoxigraph import BlankNode, NamedNode, RdfFormat, parse
from rdflib.namespace import SH

from imri_kg.validation.shapes import Index, quiet_literals, rdflib_term

SOFT = ("Warning", "Info")
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Result:
    """One result. `focus` and `value` are bare IRIs, literal text or `_:id`; the `*_nt` fields are N-Triples terms.

    `path` is the result path when it is one IRI; `path_text` is any path in SPARQL syntax. `shape` names the
    node shape (a blank property shape is named by its node shape); `source_shape` is the sh:sourceShape itself.
    """

    focus: str
    path: str | None
    value: str | None
    value_is_literal: bool
    shape: str
    severity: str  # "Violation", "Warning", "Info" or a custom severity's IRI
    message: str
    constraint: str
    focus_nt: str = ""
    value_nt: str | None = None
    source_shape: str = ""
    path_text: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"focus": self.focus, "path": self.path or self.path_text, "value": self.value,
                "shape": self.shape, "severity": self.severity, "message": self.message,
                "constraint": self.constraint}

    @property
    def blocks(self) -> bool:
        """Whether the result makes the data not conform under the severity policy."""
        return self.severity not in SOFT


def sort_key(r: Result) -> tuple:
    return (r.focus, r.path or r.path_text or "", r.shape, r.value or "", r.constraint, r.message, r.severity)


@dataclass
class Report:
    """What a validation found: every sh:result once (nested sh:detail results are not counted), sorted.

    `checked` is how many focus nodes the shapes targeted in the new data (the number a summary reports).
    """

    results: list[Result]
    checked: int = 0
    shapes: Index | None = field(default=None, repr=False, compare=False)  # to copy blank shapes and paths
    _graph: rdflib.Graph | None = field(default=None, repr=False)

    @property
    def conforms(self) -> bool:
        """No result of a blocking severity (the project's policy: warnings allowed)."""
        return not any(r.blocks for r in self.results)

    @property
    def shacl_conforms(self) -> bool:
        """sh:conforms as SHACL 3.6.1 defines it: true when there is no result at all."""
        return not self.results

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.blocks]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def infos(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Info"]

    @property
    def graph(self) -> rdflib.Graph:
        """The sh:ValidationReport graph (SHACL 3.6), built on first use; sh:conforms follows the policy."""
        if self._graph is None:
            self._graph = to_report_graph(self.results, conforms=self.conforms, shapes=self.shapes)
        return self._graph

    def ntriples(self, tag: str = "") -> str:
        """The sh:ValidationReport in N-Triples, its blank node labels starting with `tag` (`to_report_nt`)."""
        return to_report_nt(self.results, conforms=self.conforms, shapes=self.shapes, tag=tag)


def sh_iri(name: str) -> str:
    """The IRI a result's severity or constraint component names: kept less the sh: namespace when in it (results
    say "Violation", "MinCountConstraintComponent", or "Error" for a custom sh:Error), else whole."""
    return name if ":" in name else str(SH) + name


def to_report_graph(results: list[Result], *, conforms: bool, shapes: Index | None = None) -> rdflib.Graph:
    """An sh:ValidationReport graph with one sh:result per result (`to_report_nt`), its literals as written."""
    graph = rdflib.Graph()
    with quiet_literals():
        for q in parse(to_report_nt(results, conforms=conforms, shapes=shapes), format=RdfFormat.N_TRIPLES):
            # not normalised: "0100"^^xsd:integer stays "0100"
            graph.add(tuple(rdflib_term(term, normalize=False) for term in (q.subject, q.predicate, q.object)))
    return graph


def to_report_nt(results: list[Result], *, conforms: bool, shapes: Index | None = None, tag: str = "") -> str:
    """An sh:ValidationReport in N-Triples: sh:value and sh:focusNode are the data's terms as written (value_nt,
    focus_nt), sh:sourceShape is the shape that reported the result and sh:resultPath its path (SHACL 3.6.2).

    A blank shape or path of the shapes graph (`shapes`) is copied with what it says, as pySHACL copies it. Blank
    nodes are labelled `tag` + r (results), d (the data's) or s (the shapes'), so no two sources share one."""
    sh = str(SH)
    own = f"_:{tag}report"
    lines = [f"{own} <{rdflib.RDF.type}> <{sh}ValidationReport> .",
             f'{own} <{sh}conforms> "{str(conforms).lower()}"^^<{XSD}boolean> .']
    lines += [f"{own} <{sh}result> _:{tag}r{i} ." for i in range(len(results))]
    copied: dict = {}  # blank nodes of the shapes graph to copy, each once
    for i, r in enumerate(results):
        node = f"_:{tag}r{i}"
        lines += [f"{node} <{rdflib.RDF.type}> <{sh}ValidationResult> .",
                  f"{node} <{sh}focusNode> {_relabel(r.focus_nt or _iri(r.focus), tag + 'd')} .",
                  f"{node} <{sh}resultSeverity> <{sh_iri(r.severity)}> .",
                  f"{node} <{sh}sourceConstraintComponent> <{sh_iri(r.constraint)}> ."]
        shape = _shape(r.source_shape or r.shape)
        if shape is not None:
            lines.append(f"{node} <{sh}sourceShape> {_nt(shape, tag, copied)} .")
        path = shapes.value(shape, sh + "path") if shapes is not None and shape is not None else None
        if r.path:
            lines.append(f"{node} <{sh}resultPath> <{r.path}> .")
        elif r.path_text and path is not None:  # a complex path: the shape's own
            lines.append(f"{node} <{sh}resultPath> {_nt(path, tag, copied)} .")
        if r.value_nt:
            lines.append(f"{node} <{sh}value> {_relabel(r.value_nt, tag + 'd')} .")
        if r.message:
            text = r.message.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            lines.append(f'{node} <{sh}resultMessage> "{text}" .')
    if shapes is not None:
        lines += _copies(shapes, copied, tag)
    return "\n".join(lines) + "\n"


def _shape(name: str) -> NamedNode | BlankNode | None:
    if not name:
        return None
    return BlankNode(name[2:]) if name.startswith("_:") else NamedNode(name)


def _nt(term: object, tag: str, copied: dict) -> str:
    """A shapes-graph term in N-Triples; a blank node relabelled and kept to be copied."""
    if isinstance(term, BlankNode):
        copied.setdefault(term)
        return f"_:{tag}s{term.value}"
    return str(term)


def _copies(shapes: Index, copied: dict, tag: str) -> list[str]:
    """The triples of the blank nodes in `copied` and of the blank nodes they lead to."""
    about: dict = {}
    for (s, p), objects in shapes.out.items():
        if isinstance(s, BlankNode):
            about.setdefault(s, []).extend((p, o) for o in objects)
    lines, todo = [], list(copied)
    while todo:
        node = todo.pop(0)
        for p, o in about.get(node, []):
            if isinstance(o, BlankNode) and o not in copied:
                todo.append(o)
            lines.append(f"_:{tag}s{node.value} <{p}> {_nt(o, tag, copied)} .")
    return lines


def _relabel(nt: str, prefix: str) -> str:
    return f"_:{prefix}{nt[2:]}" if nt.startswith("_:") else nt


def _iri(text: str) -> str:
    return text if text.startswith("_:") else f"<{text}>"


def empty_report(checked: int = 0) -> Report:
    """The report of validating data with nothing wrong in them: it conforms."""
    return Report([], checked)
