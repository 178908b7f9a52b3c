"""The command line: exit codes, summaries and located errors, as a user sees them."""

import json
import subprocess
import sys

from click.testing import CliRunner

from imri_kg.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_prints_summary_and_passes_qc():
    result = invoke("build")
    assert result.exit_code == 0
    assert "implementation theme     13" in result.output
    assert "impact                   19" in result.output
    assert "QC: all" in result.output and "checks passed" in result.output


def test_build_into_a_store_then_read_it(tmp_path):
    store = tmp_path / "store"
    assert invoke("build", "--store", str(store), "--out", str(tmp_path / "kb.ttl")).exit_code == 0
    assert (tmp_path / "kb.ttl").stat().st_size > 100_000
    result = invoke("list", "categories", "--store", str(store))
    assert result.exit_code == 0
    assert result.output.splitlines()[2].split()[:4] == ["1", "Ways", "of", "being"]


def test_reading_an_empty_store_is_a_usage_error(tmp_path):
    result = invoke("stats", "--store", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "holds no knowledge base; run: imri-kg build --store" in result.output


def test_list_themes():
    lines = invoke("list", "themes").output.splitlines()
    assert lines[-1] == "(13 rows)"
    assert sum("Inner Setting" in line for line in lines) == 6


def test_query_file_formats(tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?l WHERE { ?c a imri:ImpactCategory ; skos:prefLabel ?l ; imri:order ?o } ORDER BY ?o")
    csv_out = invoke("query", str(rq), "--format", "csv").output
    assert csv_out.splitlines() == ["l", "Ways of being", "Ways of interacting", "Ways of thinking",
                                    "Ways of operating and doing business"]
    data = json.loads(invoke("query", str(rq), "--format", "json").output)
    assert len(data["results"]["bindings"]) == 4
    rq.write_text("CONSTRUCT { ?c a imri:ImpactCategory } WHERE { ?c a imri:ImpactCategory }")
    assert invoke("query", str(rq)).output.count("imri:ImpactCategory") == 4
    assert invoke("query", str(rq), "--format", "nt").output.count("\n") == 4


def test_query_from_a_pipe_a_file_without_rq_and_standard_input(tmp_path):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?c a imri:ImpactCategory }"
    plain = tmp_path / "question.sparql"
    plain.write_text(text)
    assert invoke("query", str(plain), "--format", "csv").output.splitlines() == ["n", "4"]
    assert CliRunner().invoke(cli, ["query", "-", "--format", "csv"], input=text).output.splitlines() == ["n", "4"]
    piped = subprocess.run(["bash", "-c", f'{sys.executable} -m imri_kg query <(echo "{text}") --format csv'],
                           capture_output=True, text=True, check=True)
    assert piped.stdout.splitlines() == ["n", "4"]


def test_bad_query_is_located_without_traceback(tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x ")
    result = CliRunner().invoke(cli, ["query", str(rq)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {rq}: is not valid SPARQL")
    assert "Traceback" not in result.output


def test_unknown_question_lists_known_ones():
    result = invoke("query", "no-such-question")
    assert result.exit_code == 2
    assert '"no-such-question" is neither a .rq file nor a library question' in result.output


def test_check_runs_qc_and_hermit():
    result = invoke("check")
    assert result.exit_code == 0
    assert "owl: HermiT found the ontology and knowledge base consistent." in result.output
    assert "FAIL" not in result.output


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "imri_kg", "list", "studies"], capture_output=True, text=True, check=True)
    assert "10.1186/s13033-022-00559-2" in out.stdout


def test_export_formats_and_named_graphs(tmp_path):
    assert invoke("export", "--format", "ntriples", "--graph", "inferred").output.count("\n") == 50
    out = tmp_path / "kb.jsonld"
    assert invoke("export", "--format", "jsonld", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text())["@context"]["@vocab"] == "https://w3id.org/imri/ontology#"
    bad = CliRunner().invoke(cli, ["export", "--format", "trig", "--out", str(tmp_path / "x.ttl")])
    assert bad.exit_code == 2 and "should end in .trig for --format trig" in bad.output
    missing = CliRunner().invoke(cli, ["export", "--graph", "shapez"])
    assert missing.exit_code == 2 and 'the store has no graph "shapez"' in missing.output


def test_release_and_table_commands(tmp_path):
    result = invoke("release", "--out", str(tmp_path / "rel"), "--issued", "2026-11-21")
    assert result.exit_code == 0 and (tmp_path / "rel" / "imri-kg-0.1.0.zip").exists()
    bad = CliRunner().invoke(cli, ["release", "--out", str(tmp_path / "r2"), "--issued", "21/11/2026"])
    assert bad.exit_code == 2 and '--issued "21/11/2026" is not a date' in bad.output
    assert not (tmp_path / "r2").exists()
    lines = invoke("table", "table1", "--format", "csv").output.splitlines()
    assert lines[-1] == "Total,21,14,5,14,6,17,13,90"
