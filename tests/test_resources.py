"""The package installs anywhere: a wheel carries everything read at run time (imri_kg.resources).

The wheel is built offline from a copy of the checkout (pip wheel, no build isolation: setuptools comes from the
test environment), installed into a fresh virtual environment, and run from a temporary folder outside the
checkout. The fresh environment borrows the test environment's third-party packages through a path entry, which
adds them to sys.path without running their .pth files, so the checkout's editable install stays out of sight.
"""

import ast
import shutil
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from imri_kg import resources
from tests.api.conftest import free_port

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", *resources.FOLDERS)


def test_the_checkout_is_read_in_an_editable_install():
    assert resources.ROOT == REPO
    assert resources.ONTOLOGY_FILE == REPO / "ontology" / "imri.ttl"
    assert resources.CONTEXT_FILE.is_file()


def test_setup_py_copies_the_same_folders_as_resources_reads():
    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    (folders,) = [ast.literal_eval(n.value) for n in tree.body
                  if isinstance(n, ast.Assign) and n.targets[0].id == "FOLDERS"]
    assert folders == resources.FOLDERS


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SHIPPED:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copyfile(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "-w", str(out), str(source)], check=True, capture_output=True)
    (built,) = out.glob("imri_kg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel; returns its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "--no-index", "--quiet", str(wheel)], check=True, capture_output=True)
    (packages,) = venv.glob("lib/python3*/site-packages")
    (packages / "borrowed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return venv / "bin"


def test_the_wheel_carries_every_resource_folder(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("imri_kg/_resources/ontology/imri.ttl", "imri_kg/_resources/ontology/context.jsonld",
                     "imri_kg/_resources/shapes/evidence.ttl", "imri_kg/_resources/queries/library/",
                     "imri_kg/_resources/data/reference/cfir2009.tsv", "imri_kg/_resources/mappings/",
                     "imri_kg/_resources/examples/README.md", "imri_kg/_resources/examples/piat2021/views/20-groups.rq",
                     "imri_kg/api/ui/static/ui.css"):
        assert any(n.startswith(required) for n in names), required
    shipped = {n for n in names if n.startswith("imri_kg/_resources/shapes/")}
    assert shipped == {f"imri_kg/_resources/shapes/{p.relative_to(REPO / 'shapes').as_posix()}"
                       for p in (REPO / "shapes").rglob("*") if p.is_file()}


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "imri-kg"), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)


def test_the_installed_program_runs_outside_the_checkout(installed: Path, tmp_path: Path):
    where = subprocess.run([str(installed / "python"), "-c", "import imri_kg.resources as r; print(r.ROOT)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(next(installed.parent.glob("lib/python3*/site-packages")) / "imri_kg" / "_resources")

    built = _run(installed, tmp_path, "build", "--out", "kb.ttl")
    assert built.returncode == 0, built.stderr
    assert "QC: all 10 checks passed." in built.stdout
    assert (tmp_path / "kb.ttl").stat().st_size > 100_000

    assert _run(installed, tmp_path, "template", "--format", "csv", "--out", "sheet.csv").returncode == 0
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("\n#85,", "\n85,"), encoding="utf-8")
    checked = _run(installed, tmp_path, "validate", "sheet.csv")  # the example row, its # mark taken away
    assert (checked.returncode, checked.stdout.strip()) == (0, "sheet.csv: 1 row checked: all conform.")

    asked = _run(installed, tmp_path, "query", "cross-cutting-themes", "--format", "csv")
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.splitlines()[1] == ("piat2021,https://w3id.org/imri/theme/interpersonal-relationships,"
                                            "Interpersonal relationships,6,4")

    released = _run(installed, tmp_path, "release", "--out", "rel", "--issued", "2026-11-21",
                    "--host-url", "https://example.org/imri-kg/")
    assert released.returncode == 0, released.stderr
    assert (tmp_path / "rel" / "ontology" / "context.jsonld").read_bytes() == resources.CONTEXT_FILE.read_bytes()
    assert sorted(p.name for p in (tmp_path / "rel" / "shapes").iterdir()) == sorted(
        p.name for p in (REPO / "shapes").glob("*.ttl"))

    as_module = subprocess.run([str(installed / "python"), "-m", "imri_kg", "list", "groups"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120, check=False)
    assert as_module.returncode == 0, as_module.stderr
    assert "Peer workers" in as_module.stdout


def test_the_installed_server_answers_outside_the_checkout(installed: Path, tmp_path: Path):
    port = free_port()
    process = subprocess.Popen([str(installed / "imri-kg"), "serve", "--port", str(port), "--workers", "1"],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/api/queries", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.1)
        answer = httpx.get(url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?t a imri:Theme }"},
                           headers={"Accept": "text/csv"})
        assert (answer.status_code, answer.text.split()) == (200, ["n", "13"])
        page = httpx.get(url + "/ui/")
        assert page.status_code == 200 and "<h1>" in page.text
        css = httpx.get(url + "/ui/static/ui.css")
        assert css.status_code == 200
        assert css.content == (REPO / "src" / "imri_kg" / "api" / "ui" / "static" / "ui.css").read_bytes()
    finally:
        process.terminate()
        process.wait(10)


def test_a_zipped_package_extracts_its_resources(installed: Path, tmp_path: Path):
    """Imported from a zip, the package copies its folders out once and reads them from there."""
    packages = next(installed.parent.glob("lib/python3*/site-packages"))
    archive = tmp_path / "imri_kg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted((packages / "imri_kg").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(packages).as_posix())
    code = (f"import sys; sys.path.insert(0, {str(archive)!r}); import imri_kg, imri_kg.resources as r; "
            "from imri_kg.cli import cli; print(imri_kg.__file__); print(r.ROOT); "
            "cli(['list', 'groups'], standalone_mode=False)")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    origin, root, *listing = out.stdout.splitlines()
    assert origin.startswith(str(archive))
    assert not root.startswith(str(packages)) and root.endswith("_resources")
    assert any("Peer workers" in line for line in listing)
