"""What each finding rests on, as a digest, so that the project's version history can say when it changed.

The digest covers the finding's excerpts (their codes, cases, studies and text), the codes, cases and studies it
names, and the appraisal answers of its contributing studies; not the statement, and not where rows sit in the
files. Each finding carries its current imri:evidenceDigest in the data graph; each import of the project adds,
to the history graph, one imri:FindingEvidence per finding with that import's digest
(<B project/s/version/<n>/evidence/<finding>>, dcterms:isPartOf the version), so that the library question `findings-evidence-changed` can
compare the evidence a finding was assessed on with the evidence it has now.
"""

import hashlib

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from imri_kg.namespaces import DCTERMS, IMRI, PROV, RDF, RDFS

_SKIP = {PROV.wasDerivedFrom, RDFS.label}


def evidence_digests(quads: list[Quad]) -> dict[NamedNode, str]:
    """Each finding of `quads` (a project's data graph with its findings) and the digest of its evidence."""
    rdf_type, finding_class = RDF.type, IMRI.ReviewFinding
    findings = {q.subject for q in quads if q.predicate == rdf_type and q.object == finding_class}
    if not findings:  # a project without findings: no need to index its quads
        return {}
    about: dict[str, list[Quad]] = {}
    for q in quads:
        about.setdefault(q.subject.value, []).append(q)
    appraisals: dict[str, list[str]] = {}  # study -> appraisal records
    appraised = IMRI.appraisedStudy
    for q in quads:
        if q.predicate == appraised:
            appraisals.setdefault(q.object.value, []).append(q.subject.value)
    out = {}
    for finding in findings:
        mine = [q for q in about.get(finding.value, []) if q.predicate in (
            IMRI.synthesises, IMRI.namedStudy, IMRI.contributingStudy)]
        parts = list(mine)
        for q in mine:
            parts += [p for p in about.get(q.object.value, []) if p.predicate not in _SKIP]
            for appraisal in appraisals.get(q.object.value, []) if q.predicate == IMRI.contributingStudy else []:
                parts += [p for p in about.get(appraisal, []) if p.predicate in (IMRI.designCategory, IMRI.hasAnswer)]
                for answer in (p.object.value for p in about.get(appraisal, []) if p.predicate == IMRI.hasAnswer):
                    parts += [p for p in about.get(answer, []) if p.predicate in (IMRI.criterion, IMRI.answer)]
        triples = sorted({q.triple for q in parts}, key=str)
        out[finding] = hashlib.sha256(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").hexdigest()
    return out


def digest_quads(quads: list[Quad], graph: NamedNode) -> list[Quad]:
    """imri:evidenceDigest of each finding, for the project's data graph."""
    return [Quad(f, IMRI.evidenceDigest, Literal(d), graph) for f, d in sorted(evidence_digests(quads).items(),
                                                                            key=lambda i: i[0].value)]


def evidence_history(quads: list[Quad], *, version: NamedNode, graph: NamedNode) -> list[Quad]:
    """One imri:FindingEvidence per finding of `quads` (the data graph an import writes), for the history graph,
    part of the version the import generated (`<import> prov:generated <version>`, projects/loading.py)."""
    out = []
    for finding, digest in sorted(evidence_digests(quads).items(), key=lambda i: i[0].value):
        state = NamedNode(f"{version.value}/evidence/{finding.value.rsplit('/', 1)[-1]}")
        out += [Quad(state, RDF.type, IMRI.FindingEvidence, graph), Quad(state, IMRI.finding, finding, graph),
                Quad(state, IMRI.evidenceDigest, Literal(digest), graph), Quad(state, DCTERMS.isPartOf, version, graph)]
    return out
