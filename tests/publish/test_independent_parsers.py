"""Every exported format parses with a second, independent parser (rdflib; pyld for JSON-LD) to the same graph."""

import json

import pytest
import rdflib
from pyld import jsonld
from pyoxigraph import CanonicalizationAlgorithm, Dataset, Quad, RdfFormat, parse

from imri_kg.store import write_graph


def canonical(triples) -> Dataset:
    d = Dataset(Quad(t.subject, t.predicate, t.object) for t in triples)
    d.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return d


@pytest.mark.parametrize(("suffix", "rdflib_format"), [(".ttl", "turtle"), (".nt", "nt"), (".rdf", "xml"), (".trig", "trig")])
def test_rdflib_reads_the_same_graph(kb, tmp_path, suffix, rdflib_format):
    path = write_graph(kb, tmp_path / f"kb{suffix}")
    graph = rdflib.Dataset() if suffix == ".trig" else rdflib.Graph()
    graph.parse(path, format=rdflib_format)
    nquads = graph.serialize(format="nquads" if suffix == ".trig" else "nt", encoding="utf-8")
    again = parse(nquads, format=RdfFormat.N_QUADS if suffix == ".trig" else RdfFormat.N_TRIPLES)
    assert canonical(getattr(x, "triple", x) for x in again) == canonical(q.triple for q in kb)


def test_pyld_reads_the_same_graph(kb, tmp_path):
    doc = json.loads(write_graph(kb, tmp_path / "kb.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert canonical(parse(nquads.encode(), format=RdfFormat.N_TRIPLES)) == canonical(q.triple for q in kb)
