"""Where the files read at run time live: ontology/, shapes/, queries/, data/, mappings/ and examples/.

They are kept as top-level folders of the repository. A wheel (or `pip install .`) carries them inside the package
as `imri_kg/_resources/<folder>`, copied there by the build hook in setup.py; an editable install or a checkout
reads the top-level folders themselves, so an edit to ontology/imri.ttl is seen at once. A package imported from a
zip has its folders extracted once per process to a temporary folder, since the readers need real paths.
"""

import atexit
import shutil
import tempfile
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

FOLDERS = ("ontology", "shapes", "queries", "data", "mappings", "examples")  # also listed in setup.py


def to_path(resource: Traversable) -> Path:
    """A real folder or file for a resource of the package: itself, or a copy when the package is zipped."""
    if isinstance(resource, Path):
        return resource
    if not resource.is_dir():
        with as_file(resource) as path:  # a zipped file: copy it out, kept until the process ends
            return _keep(path, resource.name)
    target = Path(tempfile.mkdtemp(prefix="imri-kg-"))
    atexit.register(shutil.rmtree, target, True)
    _copy(resource, target / resource.name)
    return target / resource.name


def _keep(path: Path, name: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="imri-kg-"))
    atexit.register(shutil.rmtree, target, True)
    shutil.copyfile(path, target / name)
    return target / name


def _copy(resource: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for child in resource.iterdir():
        if child.is_dir():
            _copy(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())


def _root() -> Path:
    packaged = files("imri_kg") / "_resources"
    if packaged.is_dir():  # an installed wheel
        return to_path(packaged)
    checkout = Path(__file__).resolve().parents[2]  # src/imri_kg/resources.py -> the repository
    if (checkout / "ontology" / "imri.ttl").is_file():  # an editable install or a checkout
        return checkout
    raise RuntimeError(f"imri-kg cannot find its ontology, shapes and queries: neither {packaged} nor "
                       f"{checkout / 'ontology'} exists. Reinstall the package (pip install imri-kg).")


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
MAPPINGS_DIR = ROOT / "mappings"
EXAMPLES_DIR = ROOT / "examples"
ONTOLOGY_FILE = ONTOLOGY_DIR / "imri.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
# The SPARQL editor's CodeMirror 5 (MIT), installed by `make` with npm into web/node_modules (a checkout) or copied
# into a wheel as _resources/codemirror by setup.py; None when neither exists (the editor is then a plain textarea).
CODEMIRROR_FILES = ("lib/codemirror.js", "lib/codemirror.css", "mode/sparql/sparql.js", "addon/hint/show-hint.js",
                    "addon/hint/show-hint.css", "LICENSE")  # also listed in setup.py
CODEMIRROR_DIR = next((d for d in (ROOT / "codemirror", ROOT / "web" / "node_modules" / "codemirror")
                       if (d / "lib" / "codemirror.js").is_file()), None)
