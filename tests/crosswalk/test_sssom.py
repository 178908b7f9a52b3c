"""SSSOM mapping sets: round trip, located errors on malformed input, all-or-nothing import, the CLI."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from imri_kg.cli import cli
from imri_kg.crosswalk.loading import MAPPINGS_DIR, import_mapping_set
from imri_kg.crosswalk.mapping_graph import mapping_graph_iri, to_mapping_sets
from imri_kg.crosswalk.sssom import SssomErrors, read_sssom, to_sssom_text
from imri_kg.kb.build import build_store

SHIPPED = sorted(MAPPINGS_DIR.glob("*.sssom.tsv"))
GOOD = MAPPINGS_DIR / "imri-impacts-chime.sssom.tsv"


def test_four_sets_are_shipped():
    assert [p.name for p in SHIPPED] == ["cfir2009-cfir2022.sssom.tsv", "imri-impacts-chime.sssom.tsv",
                                         "recovery-narratives-chime.sssom.tsv", "review-themes-cfir2009.sssom.tsv"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_round_trip_import_then_export_gives_the_same_set(path):
    store = build_store()
    before = read_sssom(path)
    import_mapping_set(store, path)
    (after,) = to_mapping_sets(store, graph=mapping_graph_iri(before.set_id, base="https://w3id.org/imri/"))
    assert after.key() == before.key()
    assert to_sssom_text(after) == path.read_text(encoding="utf-8")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.sssom.tsv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _header_line() -> int:
    return next(i for i, line in enumerate(GOOD.read_text().splitlines(), 1) if not line.startswith("#"))


@pytest.mark.parametrize(("old", "new", "column", "says"), [
    ("chime:connectedness", "chme:connectedness", "object_id", 'prefix "chme"'),
    ("chime:connectedness", "not a curie", "object_id", "is not a CURIE"),
    ("skos:relatedMatch\tchime:connectedness", "skos:related\tchime:connectedness", "predicate_id",
     "not a known mapping predicate"),
    ("0.9\thttps://doi.org/10.1186/s13033-022-00559-2\tThe Discussion: 'creating",
     "1.9\thttps://doi.org/10.1186/s13033-022-00559-2\tThe Discussion: 'creating", "confidence", "between 0 and 1"),
])
def test_malformed_rows_give_located_errors_and_change_nothing(tmp_path, old, new, column, says):
    path = _broken(tmp_path, old, new)
    store = build_store()
    size = len(store)
    with pytest.raises(SssomErrors) as caught:
        import_mapping_set(store, path)
    error = caught.value
    assert error.row == _header_line() + 1  # the first data row
    assert error.column == column
    assert says in error.message
    assert len(store) == size


def test_missing_column(tmp_path):
    path = _broken(tmp_path, "\tmapping_justification\t", "\tjustification\t")
    with pytest.raises(SssomErrors) as caught:
        read_sssom(path)
    assert caught.value.row == _header_line() and caught.value.column == "mapping_justification"
    assert "missing column(s) mapping_justification" in str(caught.value)


def test_undefined_prefix_in_metadata(tmp_path):
    path = _broken(tmp_path, "#  imri_study: https://w3id.org/imri/study/\n", "")
    errors = pytest.raises(SssomErrors, read_sssom, path).value.errors
    assert {e.column for e in errors} == {"author_id"}
    assert len(errors) == 5  # the five rows with the paper as author


def test_unknown_concept_is_refused_by_the_shapes(tmp_path):
    path = _broken(tmp_path, "chime:connectedness", "chime:no-such-process")
    store = build_store()
    size = len(store)
    with pytest.raises(SssomErrors) as caught:
        import_mapping_set(store, path)
    assert caught.value.column == "object_id" and "known concept scheme" in caught.value.message
    assert len(store) == size


def test_cli_validate(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["mappings", "validate", str(GOOD)])
    assert ok.exit_code == 0 and "9 mappings" in ok.output
    bad = runner.invoke(cli, ["mappings", "validate", str(_broken(tmp_path, "skos:relatedMatch", "skos:sameAs"))])
    assert bad.exit_code == 2
    assert f'line {_header_line() + 1}, column "predicate_id"' in bad.output
    assert "Traceback" not in bad.output


def invoke(args: list[str]):
    return CliRunner().invoke(cli, args)


def test_cli_import_and_export(tmp_path):
    store = tmp_path / "store"
    built = invoke(["build", "--store", str(store)])
    assert built.exit_code == 0, built.output
    done = invoke(["mappings", "import", str(GOOD), "--store", str(store)])
    assert done.exit_code == 0 and "Imported 9 mappings" in done.output, done.output
    out = invoke(["mappings", "export", "--set", "imri-impacts-chime", "--store", str(store)])
    assert out.exit_code == 0, out.output
    assert out.output == GOOD.read_text(encoding="utf-8")
    turtle = invoke(["mappings", "export", "--format", "turtle", "--store", str(store)])
    assert turtle.exit_code == 0 and "skos:relatedMatch" in turtle.output
    several = invoke(["mappings", "export", "--store", str(store)])
    assert several.exit_code == 2 and "--set" in several.output
    bad = invoke(["mappings", "import", str(_broken(tmp_path, "chime:identity", "chime:nothing")),
                              "--store", str(store)])
    assert bad.exit_code == 2 and "known concept scheme" in bad.output
