"""One report type for every engine: validation results (SHACL 3.6.2) and the sh:ValidationReport graph of them.

Severity policy (shapes/README.md): sh:Violation means the data are wrong and an import is refused; sh:Warning
and sh:Info ask a reviewer to look and do not stop an import. A custom severity (SHACL 2.1.4 allows any IRI) counts
as a Violation, as pySHACL counts it with allow_warnings.
"""

from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import SH

SOFT = ("Warning", "Info")


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
            self._graph = to_report_graph(self.results, conforms=self.conforms)
        return self._graph


def sh_iri(name: str) -> str:
    """The IRI a result's severity or constraint component names: kept less the sh: namespace when in it (results
    say "Violation", "MinCountConstraintComponent", or "Error" for a custom sh:Error), else whole."""
    return name if ":" in name else str(SH) + name


def to_report_graph(results: list[Result], *, conforms: bool) -> rdflib.Graph:
    """An sh:ValidationReport graph with one sh:result per result."""
    sh = str(SH)
    lines = [f"_:report <{rdflib.RDF.type}> <{sh}ValidationReport> .",
             f'_:report <{sh}conforms> "{str(conforms).lower()}"^^<http://www.w3.org/2001/XMLSchema#boolean> .']
    for i, r in enumerate(results):
        node = f"_:r{i}"
        lines += [f"_:report <{sh}result> {node} .", f"{node} <{rdflib.RDF.type}> <{sh}ValidationResult> .",
                  f"{node} <{sh}focusNode> {r.focus_nt or _iri(r.focus)} .",
                  f"{node} <{sh}resultSeverity> <{sh_iri(r.severity)}> .",
                  f"{node} <{sh}sourceConstraintComponent> <{sh_iri(r.constraint)}> ."]
        if r.source_shape and not r.source_shape.startswith("_:"):
            lines.append(f"{node} <{sh}sourceShape> <{r.source_shape}> .")
        elif r.shape and not r.shape.startswith("_:"):
            lines.append(f"{node} <{sh}sourceShape> <{r.shape}> .")
        if r.path:
            lines.append(f"{node} <{sh}resultPath> <{r.path}> .")
        if r.value_nt:
            lines.append(f"{node} <{sh}value> {r.value_nt} .")
        if r.message:
            text = r.message.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            lines.append(f'{node} <{sh}resultMessage> "{text}" .')
    graph = rdflib.Graph()
    graph.parse(data="\n".join(lines) + "\n", format="nt")
    return graph


def _iri(text: str) -> str:
    return text if text.startswith("_:") else f"<{text}>"


def empty_report(checked: int = 0) -> Report:
    """The report of validating data with nothing wrong in them: it conforms."""
    return Report([], checked)
