"""Commands that write to an on-disk store say which command needs --store (remove used to speak of importing)."""

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli


@pytest.mark.parametrize("args", [["remove", "my-review"], ["mappings", "import", "set.sssom.tsv"]])
def test_a_write_without_a_store_names_the_command(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False, prog_name="imri-kg")  # as main() names it
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: imri-kg {' '.join(args[:-1])} writes to an on-disk store: add --store DIR "
                             "(built with imri-kg build --store DIR).\n")
