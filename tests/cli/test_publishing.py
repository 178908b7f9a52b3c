"""`imri-kg release`: URLs that are no IRIs are refused before anything is built or written."""

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli


@pytest.mark.parametrize("option", ["--endpoint", "--host-url", "--server-url"])
def test_a_url_that_is_no_iri_is_a_usage_error(tmp_path, option):
    out = tmp_path / "release"
    result = CliRunner().invoke(cli, ["release", "--out", str(out), option, "not a url"], catch_exceptions=False)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (f"Error: Invalid value for '{option}': \"not a url\" is not an absolute "
                                              "IRI (Invalid IRI code point ' '); e.g. https://w3id.org/imri/")
    assert not out.exists()
