"""An upload is checked against the store as the server holds it now, not as it was when the checker started
(api/uploads.py; issue 13, item 1: cross-record rules see what is already stored): a mapping whose concepts are
not stored breaks the crosswalk shapes; once a later write stores them, the same upload conforms. Both for a
server's in-memory store (written through the web) and for an on-disk store (written by the CLI)."""

from pathlib import Path
from types import SimpleNamespace

from pyoxigraph import RdfFormat, Store, parse

from imri_kg.api.settings import Settings
from imri_kg.api.uploads import UploadChecker
from imri_kg.store import open_store
from imri_kg.store.bulk import load_files

EX = "http://example.org/fictional/"
PREFIXES = f"""@prefix ex: <{EX}> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix sssom: <https://w3id.org/sssom/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix semapv: <https://w3id.org/semapv/vocab/> .
"""
MAPPING = (PREFIXES + """
ex:set a sssom:MappingSet ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ; sssom:mappings ex:m .
ex:m owl:annotatedSource ex:a ; owl:annotatedProperty skos:exactMatch ; owl:annotatedTarget ex:b ;
  sssom:mapping_justification semapv:ManualMappingCuration .
ex:a skos:exactMatch ex:b .
""").encode()
CONCEPTS = PREFIXES + """
ex:s a skos:ConceptScheme ; skos:prefLabel "S" ; dcterms:source <https://example.org/fictional/source> .
ex:a skos:prefLabel "A" ; skos:inScheme ex:s . ex:b skos:prefLabel "B" ; skos:inScheme ex:s .
"""
# Worked out from shapes/crosswalk.ttl: the mapping's two concepts are not in a known scheme until stored.
UNKNOWN = [(f"{EX}m", f"{EX}a", "The subject must be a concept with a skos:prefLabel in a known concept scheme."),
           (f"{EX}m", f"{EX}b", "The object must be a concept with a skos:prefLabel in a known concept scheme.")]


def results(checker: UploadChecker, pool: object = None) -> list[tuple]:
    checked = checker.check_sync(MAPPING, "mapping.ttl", *([pool] if pool is not None else []))
    return sorted((r.focus, r.value, r.message) for r in checked.report.results)


def test_an_upload_sees_what_the_web_wrote_to_the_in_memory_store():
    store = Store()
    pool = SimpleNamespace(local=store, data_version="run.0")  # what a Pool gives the checker
    checker = UploadChecker(Settings())
    try:
        assert results(checker, pool) == UNKNOWN
        store.extend(parse(CONCEPTS.encode(), format=RdfFormat.TURTLE))
        pool.data_version = "run.1"  # a write through the workers
        assert results(checker, pool) == []
    finally:
        checker.close()


def test_an_upload_sees_what_the_cli_wrote_to_the_on_disk_store(tmp_path: Path):
    store_dir = tmp_path / "store"
    open_store(store_dir)
    concepts = tmp_path / "concepts.ttl"
    concepts.write_text(CONCEPTS, encoding="utf-8")
    checker = UploadChecker(Settings(store_dir=store_dir))
    try:
        assert results(checker) == UNKNOWN
        load_files([concepts], store_dir=store_dir, progress=False)
        assert results(checker) == []
    finally:
        checker.close()
