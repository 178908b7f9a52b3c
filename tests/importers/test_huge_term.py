"""An RDF file holding a literal longer than Oxigraph's parser takes (16 MiB) is an input error located by file
(exit 2); it was a MemoryError traceback with exit 1, the code for "does not conform" (issue 13, item 3)."""

from click.testing import CliRunner

from imri_kg.cli import cli

LIMIT = 16 * 2**20  # Oxigraph's largest token: "Reached the buffer maximal size of 16777216"


def test_a_literal_longer_than_the_parser_takes_is_an_input_error(tmp_path):
    path = tmp_path / "huge.ttl"
    path.write_text('<http://example.org/fictional/c> <http://www.w3.org/2000/01/rdf-schema#comment> "'
                    + "x" * (LIMIT + 1) + '" .\n', encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(path)])
    assert done.exit_code == 2, done.output[-500:]
    assert done.output == (f"error: {path}: cannot be read: a literal or IRI is longer than the parser takes "
                           f"(Reached the buffer maximal size of {LIMIT}); split or shorten it.\n")


def test_a_literal_just_below_the_limit_is_read(tmp_path):
    path = tmp_path / "long.ttl"
    path.write_text('<http://example.org/fictional/c> <http://www.w3.org/2000/01/rdf-schema#comment> "'
                    + "x" * (LIMIT - 1024) + '" .\n', encoding="utf-8")
    done = CliRunner().invoke(cli, ["validate", str(path)])
    assert (done.exit_code, done.output) == (0, "long.ttl: 1 record checked: all conform.\n")
