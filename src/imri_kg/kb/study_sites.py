"""The IMRI study's setting: innovation types, sites, stakeholder groups and Table 1."""

from pathlib import Path

from pyoxigraph import NamedNode

from imri_kg.kb.bibliography import check_source
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.review import add_alt_labels, in_scheme, scheme
from imri_kg.kb.tables import Row, read_table
from imri_kg.namespaces import IMRI, SKOS

STUDY = "piat2022"
SERVICE_KINDS = {"housing": "housing services", "specialised-mental-health": "specialised mental health services"}
FUNDING = {"non-profit": "non-profit", "public": "publicly funded"}
STATUSES = ("implemented", "discontinued")


def _concepts(g: GraphBuilder, data: Path, sources: dict[str, str], file: str, kind: str, cls: NamedNode,
              scheme_label: str) -> dict[str, NamedNode]:
    sch = scheme(g, kind + "s", scheme_label, source=STUDY)
    found: dict[str, NamedNode] = {}
    for order, row in enumerate(read_table(data / file, required=("slug", "label", "definition", "source")), 1):
        c = g.entity(g.iri(kind, row.need("slug")), cls, row.need("label"), concept=True)
        g.add_int(c, IMRI.order, order)
        add_alt_labels(g, c, row)
        g.add_text(c, SKOS.definition, row.need("definition"))
        in_scheme(g, c, sch)
        g.derived_from(c, check_source(row, sources))
        found[row.need("slug")] = c
    return found


def _pick(row: Row, column: str, known: dict[str, NamedNode], *, optional: bool = False) -> NamedNode | None:
    value = row.get(column) if optional else row.need(column)
    if not value:
        return None
    if value not in known:
        raise row.error(column, f'"{value}" is not one of {", ".join(known)}.')
    return known[value]


def add_study_setting(g: GraphBuilder, data: Path, sources: dict[str, str], impacts: dict[str, NamedNode]) -> None:
    types = _concepts(g, data, sources, "innovation_types.csv", "innovation-type", IMRI.InnovationType,
                      "Recovery innovation types of the IMRI study")
    groups = _concepts(g, data, sources, "stakeholder_groups.csv", "stakeholder-group", IMRI.StakeholderGroup,
                       "Stakeholder groups of the IMRI study")
    sites = _add_sites(g, data, sources, types)
    _add_table1(g, data, sources, sites, groups)


def _add_sites(g: GraphBuilder, data: Path, sources: dict[str, str], types: dict[str, NamedNode]) -> dict[str, NamedNode]:
    sites: dict[str, NamedNode] = {}
    rows = read_table(data / "sites.csv", required=(
        "slug", "label", "province", "service_kind", "funding", "innovation_type", "implementation_status", "source"))
    for order, row in enumerate(rows, 1):
        slug = row.need("slug")
        site = g.entity(g.iri("site", slug), IMRI.Site, row.need("label"))
        g.add_int(site, IMRI.order, order)  # the column order of Table 1
        g.add_text(site, IMRI.province, row.need("province"), lang=None)
        for column, allowed, prop in (("service_kind", SERVICE_KINDS, IMRI.serviceKind),
                                      ("funding", FUNDING, IMRI.fundingModel)):
            if row.need(column) not in allowed:
                raise row.error(column, f'"{row.need(column)}" is not one of {", ".join(allowed)}.')
            g.add_text(site, prop, allowed[row.need(column)], lang=None)
        innovation_type = _pick(row, "innovation_type", types)
        assert innovation_type is not None
        innovation = g.entity(g.iri("innovation", slug), IMRI.RecoveryInnovation,
                              f"{g.labels[innovation_type.value]} at {row.need('label')}")
        g.add(innovation, IMRI.site, site)
        g.add(innovation, IMRI.innovationType, innovation_type)
        if row.need("implementation_status") not in STATUSES:
            raise row.error("implementation_status", f"must be one of {', '.join(STATUSES)}.")
        g.add_text(innovation, IMRI.implementationStatus, row.need("implementation_status"), lang=None)
        g.add_text(innovation, SKOS.note, row.get("status_note"))
        source = check_source(row, sources)
        g.derived_from(site, source)
        g.derived_from(innovation, source)
        sites[slug] = site
    return sites


def _add_table1(g: GraphBuilder, data: Path, sources: dict[str, str], sites: dict[str, NamedNode],
                groups: dict[str, NamedNode]) -> None:
    """Table 1: one ParticipantCount per (site, stakeholder group) cell, the printed totals and the footnotes."""
    table = g.iri("study", STUDY, "table-1")
    # Table 1's footnotes are stated by examples/piat2022/views/05-paper.rq from its notes.csv (id "table1-<key>").
    notes = {key: g.iri("table-note", STUDY, "table-1", key) for key in ("abbreviations", "a", "b", "c")}
    cells: dict[tuple[str, str], NamedNode] = {}
    for row in read_table(data / "table1_cells.csv", required=("site", "stakeholder_group", "n", "source")):
        site, group = _pick(row, "site", sites), _pick(row, "stakeholder_group", groups)
        assert site is not None and group is not None
        key = (row.need("site"), row.need("stakeholder_group"))
        if key in cells:
            raise row.error("stakeholder_group", "repeats a (site, stakeholder group) cell given on an earlier row.")
        cell = g.entity(g.iri("participants", *key), IMRI.ParticipantCount,
                        f"{g.labels[group.value]} at {g.labels[site.value]}")
        g.add(cell, IMRI.site, site)
        g.add(cell, IMRI.stakeholderGroup, group)
        n = row.need("n")
        if n == "N/A":
            g.add_bool(cell, IMRI.notApplicable, True)
        elif n.isdigit():
            g.add_int(cell, IMRI.participants, int(n), datatype="nonNegativeInteger")
        else:
            raise row.error("n", f'"{n}" must be a whole number of 0 or more, or N/A for not applicable.')
        for key_note in row.get("footnotes").split():
            if key_note not in notes:
                raise row.error("footnotes", f'"{key_note}" is not a Table 1 footnote (abbreviations, a, b, c).')
            g.add(cell, IMRI.hasNote, notes[key_note])
        g.derived_from(cell, check_source(row, sources))
        cells[key] = cell
    missing = [f"{s}/{k}" for s in sites for k in groups if (s, k) not in cells]
    if missing:
        raise row.error("site", f"Table 1 has no cell for {', '.join(missing)}; every site and group needs one.")
    for row in read_table(data / "table1_totals.csv", required=("kind", "key", "printed_n", "source")):
        kind = row.need("kind")
        targets = {"site": sites, "stakeholder_group": groups, "overall": {"all": table}}
        g.labels.setdefault(table.value, sources.get(f"{STUDY}#table-1", "Table 1"))
        if kind not in targets:
            raise row.error("kind", f'"{kind}" is not one of {", ".join(targets)}.')
        of = _pick(row, "key", targets[kind])
        assert of is not None
        total = g.entity(g.iri("participants", "total", row.need("key")), IMRI.PrintedTotal,
                         f"Printed total: {g.labels.get(of.value, 'Table 1')}")
        g.add(total, IMRI.totalOf, of)
        g.add_int(total, IMRI.participants, row.integer("printed_n"), datatype="nonNegativeInteger")
        g.add_text(total, IMRI.asPrinted, row.get("printed_characteristics"), lang=None)
        g.derived_from(total, check_source(row, sources))
    for row in read_table(data / "table1_shared_participants.csv", required=(
            "slug", "persons", "stakeholder_group", "sites", "counted_in_total_of", "footnote", "basis", "source")):
        shared = g.entity(g.iri("participants", "shared", row.need("slug")), IMRI.SharedParticipant,
                          f"Shared participant: {row.need('slug').replace('-', ' ')}")
        g.add_int(shared, IMRI.participants, row.integer("persons"), datatype="nonNegativeInteger")
        for site_slug in row.need("sites").split():
            cell = cells.get((site_slug, row.need("stakeholder_group")))
            if cell is None:
                raise row.error("sites", f'"{site_slug}" has no {row.need("stakeholder_group")} cell in Table 1.')
            g.add(shared, IMRI.appearsIn, cell)
        counted = _pick(row, "counted_in_total_of", sites)
        assert counted is not None
        g.add(shared, IMRI.countedInTotalOf, counted)
        if row.need("footnote") not in notes:
            raise row.error("footnote", f'"{row.need("footnote")}" is not a Table 1 footnote (abbreviations, a, b, c).')
        g.add(shared, IMRI.hasNote, notes[row.need("footnote")])
        g.add_text(shared, IMRI.basis, row.need("basis"))
        g.add_text(shared, IMRI.confidence, "medium", lang=None)
        g.derived_from(shared, check_source(row, sources))
