"""The release bundle: complete, checksummed, described, and byte-identical across runs."""

import hashlib
import zipfile

import pytest
from pyoxigraph import RdfFormat, parse

from imri_kg.kb.build import build_store
from imri_kg.publish.release import write_release

VOID = "http://rdfs.org/ns/void#"


def release(tmp_path, name, **options):
    return write_release(build_store(), tmp_path / name, version="0.1.0", issued="2026-11-21",
                         host_url="https://example.org/imri-kg/", **options)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release")
    return release(tmp, "a", endpoint="https://example.org/sparql").parent


def test_contents(bundle):
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for expected in ("data/imri-kg.ttl", "data/imri-kg.jsonld", "data/imri-kg.nt", "data/imri-kg.rdf",
                     "data/imri-kg.trig", "ontology/imri.ttl", "ontology/context.jsonld", "docs/ontology.html",
                     "docs/schemes.html", "docs/shapes.html", "tables/table5.tex", "tables/table1.csv", "void.ttl",
                     "CITATION.cff", "README.md", "SHA256SUMS", "w3id/.htaccess", "imri-kg-0.1.0.zip"):
        assert expected in files


def test_checksums_cover_every_file(bundle):
    lines = (bundle / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS", "imri-kg-0.1.0.zip"}
    for name, digest in listed.items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest


def test_zip_holds_everything_but_itself(bundle):
    with zipfile.ZipFile(bundle / "imri-kg-0.1.0.zip") as zf:
        names = set(zf.namelist())
        assert zf.testzip() is None
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert names == {f"imri-kg/{f}" for f in files - {"imri-kg-0.1.0.zip"}}


def test_two_runs_are_byte_identical(bundle, tmp_path):
    other = release(tmp_path, "b", endpoint="https://example.org/sparql").parent
    first = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_void_and_dcat_description(bundle, kb):
    triples = list(parse(path=str(bundle / "void.ttl"), format=RdfFormat.TURTLE))
    ds = "https://w3id.org/imri/dataset"

    def values(s, p):
        return {t.object.value for t in triples if t.subject.value == s and t.predicate.value == p}

    assert values(ds, VOID + "triples") == {str(len({q.triple for q in kb}))}
    assert values(ds, VOID + "sparqlEndpoint") == {"https://example.org/sparql"}
    assert values(ds, "http://purl.org/dc/terms/license") == {"https://creativecommons.org/licenses/by/4.0/"}
    assert values(ds, "http://purl.org/dc/terms/issued") == {"2026-11-21"}
    assert values(ds, "http://www.w3.org/ns/prov#wasDerivedFrom") == {
        "https://w3id.org/imri/study/piat2021", "https://w3id.org/imri/study/piat2022"}
    theme_part = ds + "/class-partition/imri-Theme"
    assert values(theme_part, VOID + "entities") == {"13"}
    assert values(ds + "/property-partition/imri-theme", VOID + "triples") == {"25"}
    # one distribution per file, except those written after the description: void.ttl, SHA256SUMS and the zip
    # and not for the descriptions of single records (records/)
    files = {p for p in bundle.rglob("*") if p.is_file() and p.relative_to(bundle).parts[0] != "records"} - {
        bundle / "void.ttl", bundle / "SHA256SUMS", bundle / "imri-kg-0.1.0.zip"}
    assert len(values(ds, "http://www.w3.org/ns/dcat#distribution")) == len(files)


def test_citation_and_redirects(bundle):
    cff = (bundle / "CITATION.cff").read_text()
    assert 'doi: "10.1186/s13643-021-01646-0"' in cff and 'doi: "10.1186/s13033-022-00559-2"' in cff
    assert "license: CC-BY-4.0" in cff and "date-released: 2026-11-21" in cff
    htaccess = (bundle / "w3id" / ".htaccess").read_text()
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^ontology/?$ https://example.org/imri-kg/ontology/imri.ttl [R=303,L]" in htaccess
    # each record IRI goes to its own description in the release, never to the whole dump
    assert ("RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^(.+)$ https://example.org/imri-kg/records/$1.ttl "
            "[R=303,L]") in htaccess
    assert htaccess.endswith("RewriteRule ^(.+)$ https://example.org/imri-kg/records/$1.html [R=303,L]\n")
    assert "data/imri-kg" not in htaccess
    assert (bundle / "records" / "theme" / "staff-turnover.ttl").is_file()
    assert (bundle / "records" / "theme" / "staff-turnover.html").is_file()
    assert "RewriteRule ^shapes/?$ https://example.org/imri-kg/docs/shapes.html [R=303,L]" in htaccess
    assert (bundle / "ontology" / "shapes.ttl").is_file() and (bundle / "docs" / "shapes.html").is_file()


def test_recalled_items_are_marked_in_the_schemes_page(bundle):
    page = (bundle / "docs" / "schemes.html").read_text()
    # CFIR 2009 III.E (Readiness for Implementation) is 'recalled' with 'medium-high' confidence in the reference file.
    assert "Readiness for Implementation</a> <span class=\"badge\">recalled, medium-high confidence</span>" in page
