"""A read project folder -> the quads of its graphs (examples/README.md, "The graph"), and where each record
came from (for locating SHACL results by file and row)."""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from imri_kg.namespaces import BIBO, CITO, DCTERMS, IMRI, OWL, PROV, RDF, RDFS, SKOS, XSD
from imri_kg.projects.additions import addition_quads
from imri_kg.projects.cases import NOT_APPLICABLE
from imri_kg.projects.folder import ProjectFolder
from imri_kg.projects.lookup import slugify
from imri_kg.projects.mappings import mapping_quads
from imri_kg.projects.model import Origin
from imri_kg.store import DEFAULT_BASE

DATATYPES = {"integer": XSD.integer, "count": XSD.nonNegativeInteger, "decimal": XSD.decimal, "string": XSD.string,
             "boolean": XSD.boolean, "date": XSD.date}


def project_iri(slug: str, *, base: str = DEFAULT_BASE) -> NamedNode:
    return NamedNode(f"{_base(base)}project/{slug}")


def project_graph(slug: str, name: str, *, base: str = DEFAULT_BASE) -> NamedNode:
    """One graph of the project's family: data, mappings, view or history."""
    return NamedNode(f"{_base(base)}graph/project/{slug}/{name}")


def family_prefix(slug: str, *, base: str = DEFAULT_BASE) -> str:
    return f"{_base(base)}graph/project/{slug}/"


def _base(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def short_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


@dataclass
class ProjectGraph:
    """The quads of the data graph, of the mappings graph and of the view graph (views/*.rq run over the other
    two), and the origin of each record IRI."""

    data: list[Quad] = field(default_factory=list)
    mappings: list[Quad] = field(default_factory=list)
    view: list[Quad] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)

    @property
    def quads(self) -> list[Quad]:
        return self.data + self.mappings


class _Builder:
    def __init__(self, project: ProjectFolder, base: str) -> None:
        assert project.meta is not None
        self.project, self.base = project, _base(base)
        self.slug = project.meta.slug
        self.root = f"{self.base}project/{self.slug}"
        self.p = NamedNode(self.root)
        self.graph = project_graph(self.slug, "data", base=base)
        self.out = ProjectGraph()
        self.files: dict[str, NamedNode] = {}

    def iri(self, *parts: str) -> NamedNode:
        return NamedNode("/".join([self.root, *parts]))

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.out.data.append(Quad(s, p, o, self.graph))

    def text(self, s: NamedNode, p: NamedNode, value: str, lang: str | None = "en") -> None:
        if value:
            self.add(s, p, Literal(value, language=lang) if lang else Literal(value))

    def record(self, s: NamedNode, types: tuple[NamedNode, ...], label: str, origin: Origin) -> NamedNode:
        """A record of the project: its types, label, project and the file (and row) it came from."""
        for t in types:
            self.add(s, RDF.type, t)
        self.add(s, RDFS.label, Literal(label))
        self.add(s, IMRI.project, self.p)
        self.add(s, PROV.wasDerivedFrom, self.source(origin))
        self.out.origins[s.value] = origin
        return s

    def source(self, origin: Origin) -> NamedNode:
        """The file's IRI (a prov:Entity), or its row's (dcterms:isPartOf the file)."""
        name = self.project.problems.name(origin.path)
        file = self.files.get(name)
        if file is None:
            file = self.files[name] = self.iri("source", quote(name, safe="/._-~"))
            self.add(file, RDF.type, PROV.Entity)
            self.add(file, RDFS.label, Literal(name))
            self.add(file, IMRI.project, self.p)
        if not origin.row:
            return file
        unit = "row" if origin.path.suffix.lower() in (".csv", ".xlsx") else "line"
        row = NamedNode(f"{file.value}/{unit}/{origin.row}")
        self.add(row, RDF.type, PROV.Entity)
        self.add(row, RDFS.label, Literal(f"{name} {unit} {origin.row}"))
        self.add(row, DCTERMS.isPartOf, file)
        self.add(row, IMRI.order, Literal(str(origin.row), datatype=XSD.integer))
        return row


def to_project_graph(project: ProjectFolder, *, base: str = DEFAULT_BASE) -> ProjectGraph:
    """The quads of a project read without problems (the caller checks `project.problems` first)."""
    b = _Builder(project, base)
    meta = project.meta
    assert meta is not None
    p = b.record(b.p, (IMRI.ReviewProject,), meta.title, meta.origin)
    b.text(p, DCTERMS.title, meta.title, None)
    for author in meta.authors:
        b.text(p, DCTERMS.creator, author, None)
    if meta.year:
        b.add(p, DCTERMS.issued, Literal(meta.year, datatype=XSD.gYear))
    b.text(p, BIBO.doi, meta.doi, None)
    if meta.licence:
        b.add(p, DCTERMS.license, NamedNode(meta.licence))
    b.text(p, OWL.versionInfo, meta.version, None)
    b.text(p, DCTERMS.description, meta.description)
    b.add(p, DCTERMS.identifier, Literal(meta.slug))
    if meta.fictional:
        b.add(p, IMRI.fictional, Literal("true", datatype=XSD.boolean))
    b.text(p, DCTERMS.bibliographicCitation, meta.citation, None)
    b.text(p, SKOS.altLabel, meta.short_label)
    for ref in project.references:
        r = b.record(b.iri("reference", str(ref.number)), (IMRI.Reference,), f"Reference {ref.number}", ref.origin)
        b.add(r, IMRI.referenceNumber, Literal(str(ref.number), datatype=XSD.integer))
        b.text(r, DCTERMS.source, ref.source, None)
        b.text(r, IMRI.asPrinted, ref.named_as, None)
        b.text(r, IMRI.namedIn, ref.named_in, None)
        b.text(r, DCTERMS.identifier, ref.identifier, None)
        b.text(r, IMRI.basis, ref.basis)
    for part in project.parts:
        r = b.record(b.iri("part", slugify(part.id)), (IMRI.SourcePart,), part.label, part.origin)
        b.add(r, DCTERMS.identifier, Literal(part.id))
    _codebook(b)
    _cases(b)
    _studies(b)
    _excerpts(b)
    _notes(b)
    for doc in project.documents:
        d = b.record(b.iri("document", slugify(doc.name) or "document"), (IMRI.ProjectDocument,), doc.name,
                     doc.origin)
        b.add(d, RDF.value, Literal(doc.text))
    for q in project.questions:
        r = b.record(b.iri("question", str(q.number)), (IMRI.GuideQuestion,), f"Question {q.number}", q.origin)
        b.add(r, IMRI.number, Literal(str(q.number), datatype=XSD.integer))
        b.text(r, IMRI.text, q.text)
        b.text(r, SKOS.scopeNote, q.note)
        b.text(r, DCTERMS.source, q.source, None)
    b.out.data += addition_quads(project.additions, root=b.root, title=meta.title, graph=b.graph,
                                 source_of=b.source)
    b.out.mappings = mapping_quads(meta, project.mappings, base=b.base,
                                   graph=project_graph(meta.slug, "mappings", base=base))
    b.out.data = list(dict.fromkeys(b.out.data))
    return b.out


def _codebook(b: _Builder) -> None:
    project = b.project
    codebook_path = project.folder / "codebook.csv"
    scheme = b.record(b.iri("codebook"), (IMRI.Codebook, SKOS.ConceptScheme), f"{project.meta.title}: codebook",
                      Origin(codebook_path, 0))
    b.add(b.p, IMRI.codebook, scheme)
    levels = set()
    for code in project.codes.values():
        c = b.record(b.iri("code", code.id), (IMRI.Code, SKOS.Concept), code.label, code.origin)
        b.add(c, SKOS.inScheme, scheme)
        b.text(c, SKOS.prefLabel, code.label)
        for alt in code.alt_labels:
            b.text(c, SKOS.altLabel, alt)
        b.text(c, SKOS.definition, code.definition)
        b.text(c, SKOS.notation, code.notation, None)
        if code.order is not None:
            b.add(c, IMRI.order, Literal(str(code.order), datatype=XSD.integer))
        if code.parent:
            b.add(c, SKOS.broader, b.iri("code", code.parent))
        else:
            b.add(c, SKOS.topConceptOf, scheme)
        if code.level:
            level = b.iri("level", code.level)
            b.add(c, IMRI.codeLevel, level)
            if code.level not in levels:
                levels.add(code.level)
                b.record(level, (IMRI.CodeLevel,), code.level, Origin(codebook_path, 0))
        b.text(c, IMRI.color, code.color.upper(), None)
        if not code.codable:
            b.add(c, IMRI.codable, Literal("false", datatype=XSD.boolean))
        b.text(c, IMRI.guid, code.guid, None)
        b.text(c, SKOS.note, code.notes)
        b.text(c, DCTERMS.source, code.source, None)
    concepts = _vocabularies(b)
    for a in project.code_attributes:
        iri = b.iri("code", a.code, "attribute", short_hash(a.attribute, a.value))
        node = b.record(iri, (IMRI.CodeAttribute,), a.attribute, a.origin)
        b.add(node, IMRI.about, b.iri("code", a.code))
        b.add(node, RDF.value, Literal(a.value))
        if (a.attribute, a.value) in concepts:
            b.add(node, IMRI.valueConcept, concepts[(a.attribute, a.value)])
        b.text(node, IMRI.confidence, a.confidence, None)
        b.text(node, IMRI.basis, a.basis)
        b.text(node, DCTERMS.source, a.source, None)


def _vocabularies(b: _Builder) -> dict[tuple[str, str], NamedNode]:
    """attribute_values.csv: one concept scheme per attribute, one concept per value; (attribute, value) -> IRI."""
    concepts: dict[tuple[str, str], NamedNode] = {}
    for attribute, values in b.project.attribute_values.items():
        first = next(iter(values.values()))
        scheme = b.record(b.iri("vocabulary", slugify(attribute)), (IMRI.AttributeVocabulary, SKOS.ConceptScheme),
                          attribute, Origin(first.origin.path, 0))
        for v in values.values():
            c = b.record(b.iri("vocabulary", slugify(attribute), v.value), (IMRI.AttributeValue, SKOS.Concept),
                         v.label, v.origin)
            b.add(c, SKOS.inScheme, scheme)
            b.text(c, SKOS.prefLabel, v.label)
            b.text(c, SKOS.notation, v.value, None)
            b.text(c, SKOS.definition, v.definition)
            b.text(c, DCTERMS.source, v.source, None)
            if v.order is not None:
                b.add(c, IMRI.order, Literal(str(v.order), datatype=XSD.integer))
            concepts[(attribute, v.value)] = c
    return concepts


def _cases(b: _Builder) -> None:
    cases = b.project.cases
    for dim in cases.dimensions.values():
        d = b.record(b.iri("dimension", dim.id), (IMRI.CaseDimension, SKOS.ConceptScheme), dim.label, dim.origin)
        b.text(d, SKOS.definition, dim.definition)
        b.add(d, DCTERMS.identifier, Literal(dim.id))
        b.add(b.p, IMRI.caseDimension, d)
    for case in cases.cases.values():
        c = b.record(b.iri("case", case.dimension, case.id), (IMRI.Case, SKOS.Concept), case.label, case.origin)
        b.add(c, SKOS.inScheme, b.iri("dimension", case.dimension))
        b.text(c, SKOS.prefLabel, case.label)
        for alt in case.alt_labels:
            b.text(c, SKOS.altLabel, alt)
        b.text(c, SKOS.definition, case.definition)
        if case.order is not None:
            b.add(c, IMRI.order, Literal(str(case.order), datatype=XSD.integer))
        if case.parent:
            b.add(c, SKOS.broader, b.iri("case", case.dimension, case.parent))
        for key in case.studies:
            b.add(c, IMRI.includedStudy, _study(b, key))
        b.text(c, SKOS.note, case.notes)
        b.text(c, DCTERMS.source, case.source, None)
    for a in cases.attributes:
        keys = [f"{d}:{c}" for d, c in a.cases]
        node = b.record(b.iri("attribute", a.id or short_hash(*keys, a.attribute)), (IMRI.CaseAttribute,),
                        a.attribute, a.origin)
        for d, c in a.cases:
            b.add(node, IMRI.case, b.iri("case", d, c))
        if a.value == NOT_APPLICABLE:
            b.add(node, IMRI.notApplicable, Literal("true", datatype=XSD.boolean))
        else:
            value = a.value.casefold() if a.datatype == "boolean" else a.value
            b.add(node, RDF.value, Literal(value, datatype=DATATYPES[a.datatype]))
        b.text(node, SKOS.note, a.notes)
        b.text(node, DCTERMS.source, a.source, None)
        for note in a.footnotes:
            b.add(node, IMRI.hasNote, b.iri("note", note))
        b.text(node, IMRI.basis, a.basis)
        b.text(node, IMRI.confidence, a.confidence, None)


def _study(b: _Builder, key: str) -> NamedNode:
    return b.iri("study", slugify(key))


def _studies(b: _Builder) -> None:
    for study in b.project.studies.studies.values():
        first = study.authors[0].split(" ")[0] if study.authors else study.key
        label = f"{first}{' et al.' if len(study.authors) > 1 else ''} {study.year}".strip()
        s = b.record(_study(b, study.key), (IMRI.Study, BIBO.Document), label, study.origin)
        b.add(b.p, IMRI.includedStudy, s)
        b.add(s, IMRI.citationKey, Literal(study.key))
        b.text(s, DCTERMS.title, study.title, None)
        for author in study.authors:
            b.text(s, DCTERMS.creator, author, None)
        if study.year:
            b.add(s, DCTERMS.issued, Literal(study.year, datatype=XSD.gYear))
        b.text(s, IMRI.venue, study.venue, None)
        b.text(s, BIBO.doi, study.doi, None)
        if study.number is not None:
            b.add(s, IMRI.referenceNumber, Literal(str(study.number), datatype=XSD.integer))
        b.add(s, DCTERMS.bibliographicCitation, Literal(study.citation()))


def _excerpts(b: _Builder) -> None:
    coders: set[str] = set()
    for e in b.project.excerpts:
        x = b.record(b.iri("excerpt", e.id), (IMRI.CodedExcerpt,), f"Excerpt {e.id}", e.origin)
        b.add(x, DCTERMS.identifier, Literal(e.id))
        for code in e.codes:
            b.add(x, IMRI.code, b.iri("code", code))
        for dim, case in e.cases:
            b.add(x, IMRI.case, b.iri("case", dim, case))
        for key in e.studies:
            b.add(x, CITO.cites, _study(b, key))
        b.text(x, IMRI.text, e.text, e.language)
        b.text(x, IMRI.location, e.location, None)
        if e.start is not None:
            b.add(x, IMRI.startPosition, Literal(str(e.start), datatype=XSD.integer))
        if e.end is not None:
            b.add(x, IMRI.endPosition, Literal(str(e.end), datatype=XSD.integer))
        b.text(x, IMRI.sourceDocument, e.source_document, None)
        if e.coder:
            agent = b.iri("coder", slugify(e.coder) or "unnamed")
            b.add(x, PROV.wasAttributedTo, agent)
            if agent.value not in coders:
                coders.add(agent.value)
                b.add(agent, RDF.type, PROV.Agent)
                b.add(agent, RDFS.label, Literal(e.coder))
                b.add(agent, IMRI.project, b.p)
        if e.date:
            b.add(x, DCTERMS.date, Literal(e.date, datatype=XSD.date))
        b.text(x, SKOS.note, e.notes, e.language)
        b.text(x, IMRI.asPrinted, e.attribution, None)
        b.text(x, IMRI.codesAsPrinted, e.codes_as_printed, None)


def _notes(b: _Builder) -> None:
    for note in b.project.notes:
        kind, _, rest = note.about.partition(":")
        if kind == "project":
            target = b.p
        elif kind == "study":
            target = _study(b, rest)
        elif kind == "part":
            target = b.iri("part", slugify(rest))
        else:
            target = b.iri(kind, *rest.split(":", 1))
        n = b.record(b.iri("note", note.id or short_hash(note.about, note.text)), (IMRI.EditorialNote,),
                     f"{note.kind.capitalize()} on {note.about}", note.origin)
        b.add(n, IMRI.about, target)
        b.text(n, RDFS.comment, note.text)
        b.add(n, DCTERMS.type, Literal(note.kind))
        b.text(n, DCTERMS.creator, note.author, None)
        if note.date:
            b.add(n, DCTERMS.date, Literal(note.date, datatype=XSD.date))
        b.text(n, IMRI.asPrinted, note.mark, None)
        b.text(n, DCTERMS.source, note.source, None)
