"""Recovery and implementation frameworks as SKOS concept schemes, read from data/reference/ and data/frameworks/.

Each scheme keeps its hierarchy (skos:broader), its source paper (prov:wasDerivedFrom a bibo:Document with its
DOI), and each item's imri:status and imri:confidence as the reference files give them. Every item whose status
is not plainly "read" carries a skos:editorialNote saying so; a recalled item also gets an imri:EditorialNote
about it, so that unverified items can be found with one query. Each level of a scheme (e.g. CHIME's
recovery_process) is a skos:Collection whose skos:notation is the level's name.
"""

from collections import Counter
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, RDFS, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import Row, read_table
from imri_kg.store.builder import GraphBuilder, in_scheme

SCHEMES_FILE = Path("frameworks") / "schemes.csv"
ITEM_COLUMNS = ("id", "level", "label", "status")


def read_frameworks(data: Path, *, base: str, graph: NamedNode) -> list[Quad]:
    """The shipped framework schemes (data/frameworks/schemes.csv lists them), in `graph`."""
    g = GraphBuilder(base, graph)
    for row in read_table(data / SCHEMES_FILE, required=("slug", "label", "file", "work", "source_label", "status")):
        add_scheme(g, data, row)
    add_cfir2009_notes(g, data)
    from imri_kg.findings.tools import read_builtin_tools  # MMAT 2018 and GRADE-CERQual (issue 19)

    g.quads += read_builtin_tools(data, base=base, graph=graph)
    return list(dict.fromkeys(g.quads))


def add_scheme(g: GraphBuilder, data: Path, meta: Row) -> NamedNode:
    """One framework: the scheme, its source work and its items (rows of the file `meta` names)."""
    slug = meta.need("slug")
    scheme = g.entity(g.iri("scheme", slug), SKOS.ConceptScheme, meta.need("label"), concept=True)
    g.add_text(scheme, DCTERMS.title, meta.need("label"))
    g.add_text(scheme, SKOS.note, meta.get("note"))
    _status(g, scheme, meta.need("status"), meta.get("confidence"))
    work = source_work(g, meta.need("work"), meta.need("source_label"), doi=meta.get("doi"),
                       identifier=meta.get("identifier"))
    g.add(scheme, PROV.wasDerivedFrom, work)
    g.add(scheme, DCTERMS.source, work)
    rows = read_table(data / meta.need("file"), required=ITEM_COLUMNS)
    slugs = _slugs(rows)
    by_id: dict[str, NamedNode] = {}
    for row in rows:
        item = row.need("id")
        if item in by_id:
            raise row.error("id", f'"{item}" repeats an id given above.')
        c = g.entity(g.iri(slug, slugs[item]), SKOS.Concept, row.need("label"), concept=True)
        g.add_text(c, DCTERMS.identifier, item, lang=None)
        g.add_text(c, SKOS.notation, row.get("code") or row.get("notation"), lang=None)
        g.add_text(c, SKOS.definition, row.get("short_definition_own_words") or row.get("definition"))
        g.add_text(c, SKOS.note, row.get("notes") or row.get("note"))
        if row.get("order"):
            g.add_int(c, IMRI.order, row.integer("order"))
        _status(g, c, row.need("status"), row.get("confidence"), about=row.need("label"))
        own = row.get("source")
        g.add(c, PROV.wasDerivedFrom, source_work(g, "doi-" + slugify(own), own, doi=own) if own else work)
        parent_id = _parent_id(row)
        if parent_id:
            parent = by_id.get(parent_id)
            if parent is None:
                column = "parent_id" if "parent_id" in row.values else "parent_code"
                raise row.error(column, f'"{parent_id}" is not an id listed above this row.')
            g.add(c, SKOS.broader, parent)
            g.add(parent, SKOS.narrower, c)
        in_scheme(g, c, scheme, top=not parent_id)
        level = g.iri(slug, "level", slugify(row.need("level")))
        g.entity(level, SKOS.Collection, f"{meta.need('label')}: {row.need('level').replace('_', ' ')}")
        g.add_text(level, SKOS.notation, row.need("level"), lang=None)
        g.add(level, PROV.wasDerivedFrom, work)
        g.add(level, SKOS.member, c)
        by_id[item] = c
    return scheme


def source_work(g: GraphBuilder, slug: str, label: str, *, doi: str = "", identifier: str = "") -> NamedNode:
    """The paper (or report) a scheme was read from, under <base/work/slug>."""
    work = g.entity(g.iri("work", slug), BIBO.Document, label)
    g.add_text(work, BIBO.doi, doi, lang=None)
    g.add_text(work, DCTERMS.identifier, f"doi:{doi}" if doi else identifier, lang=None)
    return work


def _status(g: GraphBuilder, s: NamedNode, status: str, confidence: str, *, about: str = "") -> None:
    g.add_text(s, IMRI.status, status, lang=None)
    g.add_text(s, IMRI.confidence, confidence, lang=None)
    if status == "read":
        return
    sure = f", confidence {confidence}" if confidence else ", confidence not stated"
    if "recalled" in status:
        text = f"Recalled, not verified against the source (status {status}{sure}). Check the source before use."
        note = g.entity(NamedNode(s.value + "/note/recalled"), IMRI.EditorialNote,
                        f"Unverified: {about or 'this scheme'}")
        g.add_text(note, RDFS.comment, text)
        g.add(note, IMRI.about, s)
        g.add_text(note, IMRI.status, status, lang=None)
        g.add_text(note, IMRI.confidence, confidence, lang=None)
    else:
        text = f"Inferred from what was read, not stated by the source (status {status}{sure})."
    g.add_text(s, SKOS.editorialNote, text)


def _parent_id(row: Row) -> str:
    if "parent_id" in row.values:
        return row.get("parent_id")
    code = row.get("parent_code")
    return f"{row.need('id').split(':')[0]}:{code}" if code else ""


def _slugs(rows: list[Row]) -> dict[str, str]:
    """IRI slugs: the slug of the label. A label met again later is prefixed by its parent's slug, and so are
    its siblings, e.g. CFIR 2.0 V.F.1 is engaging-innovation-deliverers (IV.R.H is innovation-deliverers)."""
    label_of = {r.need("id"): slugify(r.need("label")) for r in rows}
    seen: set[str] = set()
    prefixed_parents = set()
    for r in rows:
        if label_of[r.need("id")] in seen and _parent_id(r):
            prefixed_parents.add(_parent_id(r))
        seen.add(label_of[r.need("id")])
    slugs = {}
    for r in rows:
        item, parent = r.need("id"), _parent_id(r)
        prefix = label_of.get(parent, "") if parent in prefixed_parents else ""
        slugs[item] = f"{prefix}-{label_of[item]}" if prefix else label_of[item]
    clashes = [s for s, n in Counter(slugs.values()).items() if n > 1]
    if clashes:
        first = next(r for r in rows if slugs[r.need("id")] == clashes[0])
        raise first.error("label", f'gives the IRI slug "{clashes[0]}" that another row of the file also gets.')
    return slugs


def add_cfir2009_notes(g: GraphBuilder, data: Path) -> None:
    """Editorial notes on the recalled CFIR 2009 rows (the concepts themselves are built with the review)."""
    for row in read_table(data / "reference" / "cfir2009.tsv", required=("label", "status", "confidence")):
        if row.need("status") != "read":
            _status(g, g.iri("cfir2009", slugify(row.need("label"))), row.need("status"), row.get("confidence"),
                    about=f"CFIR 2009 {row.get('code')} {row.need('label')}")
