"""mappings.csv: a project's codes mapped to concepts of frameworks in the store (CFIR, CHIME, ...), read into
the project's own SSSOM mapping set and loaded as crosswalk/ loads sets (SKOS triples plus one owl:Axiom each)."""

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.crosswalk.mapping_graph import read_mapping_set
from imri_kg.crosswalk.sssom import MappingSet
from imri_kg.projects.codebook import PREDICATES
from imri_kg.projects.lookup import Lookup, label_key
from imri_kg.projects.model import Mapping, Meta, Origin
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_rows

SKOS = "http://www.w3.org/2004/02/skos/core#"
CONCEPTS = """SELECT DISTINCT ?c ?n ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?s
    OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n }
    OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"""


@dataclass
class Targets:
    """The store's concepts, by prefix (the first path segment under the base: cfir2009, chime, ...)."""

    base: str
    iris: set[str] = field(default_factory=set)
    by_prefix: dict[str, dict[str, str]] = field(default_factory=dict)  # prefix -> (slug|notation|label key) -> IRI

    def resolve(self, text: str) -> tuple[str | None, str]:
        """(IRI or None, message when None) for `prefix:local` (local = slug, notation or label) or a full IRI."""
        text = text.strip()
        if text.startswith(("http://", "https://")):
            return (text, "") if text in self.iris else (None, f'"{text}" is not a concept in the store.')
        prefix, sep, local = text.partition(":")
        if not sep or prefix not in self.by_prefix:
            known = ", ".join(sorted(self.by_prefix))
            return None, f'"{text}" must be a CURIE prefix:concept with a prefix of the store ({known}) or an IRI.'
        index = self.by_prefix[prefix]
        for key in (local, local.casefold(), label_key(local)):
            if key in index:
                return index[key], ""
        hint = suggest(label_key(local), {k: f"{prefix}:{k}" for k in index})
        return None, f'"{text}" is not a concept of {prefix}.' + hint

    def with_additions(self, additions: list, root: str) -> "Targets":  # type: ignore[type-arg]
        """These targets and the project's own framework additions (`root` is the project's IRI), found as
        `addition:<id>` or `addition:<label>` (framework_additions.csv)."""
        index = self.by_prefix.setdefault("addition", {})
        for a in additions:
            iri = f"{root}/addition/{a.id}"
            self.iris.add(iri)
            index[a.id] = iri
            index.setdefault(label_key(a.label), iri)
        return self

    @classmethod
    def of(cls, store: Store | None, base: str) -> "Targets":
        targets = cls(base)
        if store is None:
            return targets
        for r in store.query(CONCEPTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
            iri = r["c"].value
            targets.iris.add(iri)
            if not iri.startswith(base):
                continue
            prefix, _, slug = iri[len(base):].partition("/")
            if not slug or "/" in slug:
                continue
            index = targets.by_prefix.setdefault(prefix, {})
            index.setdefault(slug, iri)
            if r["n"] is not None:
                index.setdefault(r["n"].value.casefold(), iri)
            if r["l"] is not None:
                index.setdefault(label_key(r["l"].value), iri)
        return targets


def read_mappings(folder: Path, codes: Lookup, targets: Targets, problems: Problems) -> list[Mapping]:
    path = Path(folder) / "mappings.csv"
    if not path.is_file():
        return []
    found: list[Mapping] = []
    for row in read_rows(path, problems, required=("code", "predicate", "target", "justification")) or []:
        missing = [c for c in ("code", "predicate", "target", "justification") if not row.get(c)]
        if missing:
            problems.add(path, "is empty; this column is required (say why the code maps to the target)."
                         if missing[0] == "justification" else "is empty; this column is required.",
                         row=row.number, column=missing[0])
            continue
        code = codes.find(row.get("code"))
        if code is None:
            problems.add(path, codes.unknown(row.get("code")), row=row.number, column="code")
        predicate = row.get("predicate").removeprefix("skos:").removeprefix(SKOS)
        if predicate not in PREDICATES:
            problems.add(path, f'"{row.get("predicate")}" must be one of '
                         + ", ".join(f"skos:{p}" for p in PREDICATES) + ".", row=row.number, column="predicate")
        target, message = targets.resolve(row.get("target"))
        if target is None:
            problems.add(path, message, row=row.number, column="target")
        confidence = row.get("confidence")
        if confidence:
            try:
                ok = 0 <= float(confidence) <= 1
            except ValueError:
                ok = False
            if not ok:
                problems.add(path, f'"{confidence}" must be a number from 0 to 1.', row=row.number,
                             column="confidence")
                confidence = ""
        if code and target and predicate in PREDICATES:
            found.append(Mapping(code, SKOS + predicate, target, row.get("justification"), Origin(path, row.number),
                                 confidence=confidence, author=row.get("author"), comment=row.get("comment"),
                                 target_as_printed=row.get("target_as_printed")))
    return found


def to_mapping_set(meta: Meta, mappings: list[Mapping], *, base: str) -> MappingSet:
    """The project's SSSOM set: subjects are its codes, objects the framework concepts (full IRIs as CURIEs)."""
    project = f"{base}project/{meta.slug}/"
    curie_map = {"code": project + "code/"}
    rows = []
    for m in mappings:
        rows.append({"subject_id": f"code:{m.code}", "predicate_id": "skos:" + m.predicate.removeprefix(SKOS),
                     "object_id": _curie(m.target, curie_map), "mapping_justification": "semapv:ManualMappingCuration",
                     "confidence": m.confidence, "author_label": m.author, "comment": m.justification,
                     "other": m.comment, "object_label": m.target_as_printed})
    metadata = {"mapping_set_id": project + "mappings", "mapping_set_title": f"{meta.title}: codes to frameworks",
                "license": meta.licence or "https://creativecommons.org/licenses/by/4.0/"}
    if meta.version:
        metadata["mapping_set_version"] = meta.version
    return MappingSet(metadata, curie_map, [{k: v for k, v in r.items() if v} for r in rows],
                      [m.origin.row for m in mappings])


def _curie(iri: str, curie_map: dict[str, str]) -> str:
    ns, local = (iri.rsplit("#", 1) if "#" in iri else iri.rsplit("/", 1))
    ns += "#" if "#" in iri else "/"
    for prefix, known in curie_map.items():
        if known == ns:
            return f"{prefix}:{local}"
    prefix = f"t{len(curie_map)}"
    segment = ns.rstrip("/#").rsplit("/", 1)[-1]
    if segment.replace("-", "").isalnum() and segment[0].isalpha() and segment not in curie_map:
        prefix = segment.replace("-", "_")
    curie_map[prefix] = ns
    return f"{prefix}:{local}"


def mapping_quads(meta: Meta, mappings: list[Mapping], *, base: str, graph: NamedNode) -> list[Quad]:
    """The SSSOM set's quads, with the set's resources named under the project (project/<slug>/mapping/...)."""
    if not mappings:
        return []
    mset = to_mapping_set(meta, mappings, base=base)
    quads, _ = read_mapping_set(mset, base=base, graph=graph)
    old = f"{base}mapping/mappings/"
    new = f"{base}project/{meta.slug}/mapping/"

    def rename(term):  # type: ignore[no-untyped-def]
        return NamedNode(new + term.value[len(old):]) if isinstance(term, NamedNode) and term.value.startswith(old) \
            else term

    from imri_kg.namespaces import IMRI

    project = NamedNode(f"{base}project/{meta.slug}")
    return [Quad(rename(q.subject), q.predicate, rename(q.object), graph) for q in quads] + [
        Quad(NamedNode(mset.set_id), IMRI.project, project, graph)]
