"""Question parameters: turning the text a reviewer types (an IRI, a label or a number) into RDF terms to bind.

A parameter's type, from its `# param:` line, is `integer`, `string`, `iri`, or the local name of an imri class
(`Theme`, `InnovationGroup`, ...). A class-typed value may be an absolute IRI, a path under the base
(`theme/staff-turnover`), or a label or alternative label of one instance of that class, in any case.
Values only ever become RDF terms passed to Oxigraph as substitutions; they are never pasted into query text.
"""

import re

from pyoxigraph import Literal, NamedNode, Store, Variable

from imri_kg.errors import InputError
from imri_kg.namespaces import IMRI, PREFIXES, RDF, XSD
from imri_kg.questions import Question
from imri_kg.store import DEFAULT_BASE

PLAIN_TYPES = ("integer", "string", "iri")
# RFC 3987 IRIs have a scheme and none of the characters SPARQL forbids in an IRIREF (SPARQL 1.1, section 19.8).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")

# Candidates of a class whose IRI, label or alternative label matches; ?value and ?class are substitutions.
_LOOKUP = """
SELECT DISTINCT ?x ?value ?class WHERE {
  ?x a ?class .
  OPTIONAL { ?x rdfs:label|skos:prefLabel|skos:altLabel ?label }
  FILTER (?x = ?value || LCASE(STR(?label)) = LCASE(STR(?value)))
}
"""
# Review-project records: a param type named here resolves among the instances of that class of examples/README.md.
IMRI_NS = IMRI.Theme.value.rsplit("#", 1)[0] + "#"
PROJECT_CLASSES = {"ReviewProject": "ReviewProject", "Code": "Code", "Case": "Case", "CaseDimension": "CaseDimension",
                   "CodeLevel": "CodeLevel", "Study": "Study"}
_PROJECT_LOOKUP = """
SELECT DISTINCT ?x ?value ?class WHERE {
  ?x a ?class .
  OPTIONAL { ?x rdfs:label|skos:prefLabel|skos:altLabel|dcterms:title|imri:citationKey ?label }
  FILTER (STR(?x) = ?value || STRENDS(STR(?x), CONCAT("/", ?value))
          || LCASE(STR(?label)) = LCASE(STR(?value)))
}
"""
_LABELS = "SELECT DISTINCT ?label ?class WHERE { ?x a ?class ; rdfs:label|skos:prefLabel ?label } ORDER BY ?label"


def is_known_type(type_name: str) -> bool:
    if type_name in PLAIN_TYPES or type_name in PROJECT_CLASSES:
        return True
    try:
        getattr(IMRI, type_name)
    except AttributeError:
        return False
    return True


def to_term(store: Store, param_type: str, value: str, *, base: str = DEFAULT_BASE,
            project: NamedNode | None = None) -> NamedNode | Literal:
    """The RDF term for one parameter value; InputError when the value does not fit the type. A review-project
    record named by an id or label that several projects use is taken from `project` when it is given."""
    value = value.strip()
    if param_type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,9}", value):
            raise InputError(f'"{_show(value)}" is not a whole number.')
        return Literal(value, datatype=XSD.integer)
    if param_type == "string":
        return Literal(value)
    if param_type == "iri":
        node = _named_node(value)
        if node is None:
            raise InputError(f'"{_show(value)}" is not an absolute IRI.')
        return node
    if param_type in PROJECT_CLASSES:
        return _resolve_in_projects(store, param_type, value, base=base, project=project)
    if not is_known_type(param_type):
        raise InputError(f'"{param_type}" is not a parameter type; use {", ".join(PLAIN_TYPES)} or an imri class.')
    return _resolve(store, getattr(IMRI, param_type), value, base=base)


def _resolve_in_projects(store: Store, type_name: str, value: str, *, base: str,
                         project: NamedNode | None = None) -> NamedNode:
    """A review-project record (examples/README.md) named by IRI, by id (the end of its IRI: a project's slug, a code's
    or study's key, a case's DIMENSION/ID) or by label, in any case; InputError listing the known ones."""
    cls = NamedNode(IMRI_NS + PROJECT_CLASSES[type_name])
    found = {s["x"].value for s in store.query(
        _PROJECT_LOOKUP, prefixes=PREFIXES, use_default_graph_as_union=True,
        substitutions={Variable("value"): Literal(value), Variable("class"): cls}) if isinstance(s["x"], NamedNode)}
    if len(found) > 1 and project is not None:
        found = {x for x in found if x.startswith(project.value + "/")} or found
    if len(found) == 1:
        return NamedNode(found.pop())
    if found:
        raise InputError(f'"{_show(value)}" names more than one {type_name}: {", ".join(sorted(found))}; give the IRI.')
    names = sorted({s["x"].value.rsplit("/", 1)[-1] for s in store.query(
        "SELECT ?x ?class WHERE { ?x a ?class }", use_default_graph_as_union=True, substitutions={Variable("class"): cls})})
    shown = "; ".join(names[:40]) + (f"; … ({len(names)} in all)" if len(names) > 40 else "")
    raise InputError(f'"{_show(value)}" is not a known {type_name}; give an IRI, a label or one of: {shown or "none"}.')


def _resolve(store: Store, cls: NamedNode, value: str, *, base: str) -> NamedNode:
    candidates: list[NamedNode | Literal] = [Literal(value)]
    node = _named_node(value) or (_named_node(base + value.lstrip("/")) if re.fullmatch(r"[\w./-]+", value) else None)
    if node is not None:
        candidates.append(node)
    found: set[str] = set()
    for candidate in candidates:
        solutions = store.query(_LOOKUP, prefixes=PREFIXES, use_default_graph_as_union=True,
                                substitutions={Variable("value"): candidate, Variable("class"): cls})
        found |= {s["x"].value for s in solutions if isinstance(s["x"], NamedNode)}
    name = cls.value.rsplit("#", 1)[-1]
    if len(found) == 1:
        return NamedNode(found.pop())
    if found:
        raise InputError(f'"{_show(value)}" names more than one {name}: {", ".join(sorted(found))}; give the IRI.')
    labels = sorted({s["label"].value for s in store.query(
        _LABELS, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions={Variable("class"): cls})})
    raise InputError(f'"{_show(value)}" is not a known {name}; give an IRI or one of: ' + "; ".join(labels) + ".")


def to_bindings(store: Store, question: Question, values: dict[str, str | None], *,
                base: str = DEFAULT_BASE) -> dict[str, NamedNode | Literal]:
    """Bindings for a question: given values, else defaults; a parameter with neither stays unbound (= all)."""
    unknown = sorted(set(values) - {p.name for p in question.params})
    if unknown:
        raise InputError(f'{question.name} has no parameter {", ".join(unknown)}; its parameters: '
                         f'{", ".join(p.name for p in question.params) or "none"}.')
    bindings: dict[str, NamedNode | Literal] = {}
    # the project first, so that a code, case or study named by an id several projects share is taken from it
    params = sorted(question.params, key=lambda p: p.type != "ReviewProject")
    for param in params:
        value = values.get(param.name)
        if value is None or value.strip() == "":
            value = param.default
        if value is None and param.required:
            raise InputError(f"{question.name} needs the parameter {param.name} ({param.type}): {param.description}.")
        if value is None:
            continue
        try:
            project = next((t for p in question.params if p.type == "ReviewProject"
                            and isinstance(t := bindings.get(p.name), NamedNode)), None)
            bindings[param.name] = to_term(store, param.type, value, base=base, project=project)
        except InputError as exc:
            raise InputError(f"parameter {param.name}: {exc.message}") from None
    return bindings


def _named_node(value: str) -> NamedNode | None:
    """The IRI `value` as a NamedNode, or None when it is not a valid absolute IRI (RFC 3987)."""
    if not _IRI.fullmatch(value):
        return None
    try:
        return NamedNode(value)
    except ValueError:
        return None


def _show(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


__all__ = ["PLAIN_TYPES", "RDF", "is_known_type", "to_bindings", "to_term"]
