"""An RDF file with no triple (empty, or only prefixes) is an input error, as a sheet with a header and no rows
is: `imri-kg validate` said "0 records checked: all conform." and exited 0 (issue 13, item 5)."""

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli


@pytest.mark.parametrize(("name", "text"), [("empty.ttl", ""), ("prefixes.ttl", "@prefix ex: <http://example.org/> .\n"),
                                            ("empty.nt", "# a comment only\n")])
def test_an_rdf_file_without_triples_is_an_input_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(path)])
    assert done.exit_code == 2, done.output
    assert done.output == (f"error: {path}: holds no triples, so there is nothing to check; give a file with the "
                           "records to check.\n")
