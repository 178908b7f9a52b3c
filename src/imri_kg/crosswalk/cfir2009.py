"""CFIR 2009 (reference/cfir2009.tsv): the framework the review's themes are mapped to, built before the example
projects are read so that their mappings (and the constructs a project adds to it, framework_additions.csv)
resolve against it. Written into the knowledge base's graph (graph kb)."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import read_table
from imri_kg.store.builder import GraphBuilder, in_scheme


def read_cfir2009(data: Path, *, base: str, graph: NamedNode) -> list[Quad]:
    """The quads of CFIR 2009, in `graph`. Raises InputError, located, on a bad row."""
    g = GraphBuilder(base, graph)
    add_cfir2009(g, data)
    return list(dict.fromkeys(g.quads))


def add_cfir2009(g: GraphBuilder, data: Path) -> dict[str, NamedNode]:
    """CFIR 2009 domains and constructs (reference/cfir2009.tsv), keyed by code such as 'III.D.6'."""
    source = g.entity(g.iri("work", "damschroder2009"), BIBO.Document, "Damschroder et al. 2009 (CFIR)")
    cfir = g.entity(g.iri("scheme", "cfir2009"), SKOS.ConceptScheme,
                    "Consolidated Framework for Implementation Research (2009)")
    g.add(cfir, PROV.wasDerivedFrom, source)
    g.add_text(source, DCTERMS.identifier, "doi:10.1186/1748-5908-4-50", lang=None)
    by_code: dict[str, NamedNode] = {}
    rows = read_table(data / "reference" / "cfir2009.tsv", required=(
        "code", "level", "parent_code", "label", "short_definition_own_words", "status", "confidence"))
    for row in rows:
        level, code = row.need("level"), row.need("code")
        cls = IMRI.CFIRDomain if level == "domain" else IMRI.CFIRConstruct
        c = g.entity(g.iri("cfir2009", slugify(row.need("label"))), cls, row.need("label"), concept=True)
        g.add_text(c, SKOS.notation, code, lang=None)
        g.add_text(c, SKOS.definition, row.need("short_definition_own_words"))
        g.add_text(c, IMRI.status, row.need("status"), lang=None)
        g.add_text(c, IMRI.confidence, row.need("confidence"), lang=None)
        g.add_text(c, SKOS.note, row.get("notes"))
        g.add(c, PROV.wasDerivedFrom, source)
        in_scheme(g, c, cfir, top=level == "domain")
        if level != "domain":
            parent = by_code.get(row.need("parent_code"))
            if parent is None:
                raise row.error("parent_code", f'"{row.get("parent_code")}" is not a code listed above this row.')
            g.add(c, SKOS.broader, parent)
            g.add(c, IMRI.cfirDomain, by_code[code.split(".")[0]])
        by_code[code] = c
    return by_code
