"""A breaker's tests of a reviewer's own shapes (`imri-kg validate FILE --shapes S`) that are ill-formed (SHACL 3.4:
a processor given an ill-formed shapes graph must signal a failure, not give a report). With shacl-rust
(engine="rust", the default) each of these gives a report, so a typo in a shape turns into a verdict: `sh:maxCount
"0"` (a string) and `sh:maxCount -1` are read as a count, `sh:pattern "("` and `sh:datatype "xsd:string"` (a
literal, not an IRI) check nothing, and so on. pySHACL refuses most of them (ConstraintLoadError, ShapeLoadError),
not as an InputError either. Expected: an InputError that says the shapes cannot be used (exit 2), as
engines.run_rust already raises when shacl-rust itself refuses a shapes graph. Not from commits 80c2471/1afdae3:
the same with an empty store. The data and shapes are made up (ex: IRIs)."""

from pathlib import Path

import pytest
from pyoxigraph import Store

from imri_kg.errors import InputError
from imri_kg.importers.files import check_file
from imri_kg.validation import to_shapes

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
TARGET = "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path "
ILL_FORMED = {  # SHACL 4.x: what each parameter's value must be
    "maxCount-string": TARGET + 'ex:p ; sh:maxCount "0" ] .',  # an xsd:integer (4.2.2)
    "maxCount-negative": TARGET + "ex:p ; sh:maxCount -1 ] .",  # a non-negative integer
    "datatype-literal": TARGET + 'ex:p ; sh:datatype "xsd:string" ] .',  # an IRI (4.1.2)
    "pattern-not-a-regex": TARGET + 'ex:p ; sh:pattern "(" ] .',  # a valid regular expression (4.4.3)
    "path-literal": TARGET + '"ex:p" ; sh:maxCount 0 ] .',  # a well-formed SHACL property path (2.3.1)
    "two-paths": TARGET + "ex:p , ex:q ; sh:maxCount 0 ] .",  # exactly one sh:path (2.3)
    "in-not-a-list": TARGET + "ex:p ; sh:in ex:x ] .",  # a SHACL list (4.8.3)
}


@pytest.mark.parametrize("name", list(ILL_FORMED))
def test_an_ill_formed_shape_of_the_reviewer_is_refused(tmp_path: Path, name: str):
    data = tmp_path / "data.ttl"
    data.write_text(PREFIXES + "ex:a ex:p 5 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + ILL_FORMED[name] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="shapes cannot be used"):
        check_file(Store(), data, shapes=to_shapes(shapes))
