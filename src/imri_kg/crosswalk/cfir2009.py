"""CFIR 2009 (reference/cfir2009.tsv) and the constructs the review (Piat et al. 2021, Table 3) added to it
(new_constructs.csv): the framework the review's themes are mapped to, built before the example projects are read so
that their mappings resolve against it. Written into the knowledge base's graph (graph kb)."""

from collections.abc import Collection
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.namespaces import BIBO, DCTERMS, IMRI, PROV, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.projects.rows import Row, read_table
from imri_kg.store.builder import GraphBuilder, in_scheme

REVIEW = "piat2021"


def read_cfir2009(data: Path, *, base: str, graph: NamedNode, sources: Collection[str]) -> list[Quad]:
    """The quads of CFIR 2009 and the review's added constructs, in `graph`; the constructs' `source` must be one of
    `sources` ('piat2021#table-3'). Raises InputError, located, on a bad row."""
    g = GraphBuilder(base, graph)
    cfir = add_cfir2009(g, data)
    add_new_constructs(g, data, sources, cfir)
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


def add_new_constructs(g: GraphBuilder, data: Path, sources: Collection[str], cfir: dict[str, NamedNode]) -> None:
    """The constructs the review added to CFIR 2009 (its Table 3)."""
    for row in read_table(data / "new_constructs.csv", required=("slug", "label", "domain", "definition", "source")):
        c = g.entity(g.iri("construct", row.need("slug")), IMRI.CFIRConstruct, row.need("label"), concept=True)
        g.add_text(c, SKOS.definition, row.need("definition"))
        g.add(c, IMRI.cfirDomain, _cfir(row, "domain", cfir))
        if row.get("broader"):
            g.add(c, SKOS.broader, _cfir(row, "broader", cfir))
        g.add(c, IMRI.addedBy, g.iri("study", REVIEW))
        source = row.need("source")
        if source not in sources:
            raise row.error("source", f'"{source}" is not a known source; known: {", ".join(sorted(sources))}.')
        g.derived_from(c, source)
        cfir["new:" + row.need("slug")] = c


def _cfir(row: Row, column: str, cfir: dict[str, NamedNode]) -> NamedNode:
    key = row.need(column).removeprefix("cfir09:")
    if key not in cfir:
        raise row.error(column, f'"{row.need(column)}" is not a CFIR 2009 code (like cfir09:III.D.6) or new:<slug>.')
    return cfir[key]


