"""The package layout of src/imri_kg/README.md: one package per feature, few loose modules, no import cycles."""

import ast
from pathlib import Path

import networkx as nx

import imri_kg

PACKAGE = Path(imri_kg.__file__).parent
SHARED = {"__init__.py", "__main__.py", "errors.py", "namespaces.py", "resources.py", "limits.py", "scratch.py"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "_resources" in path.parts:
            continue
        name = ".".join(("imri_kg", *path.relative_to(PACKAGE).with_suffix("").parts))
        found[name.removesuffix(".__init__")] = path
    return found


def import_graph() -> nx.DiGraph:
    """Module -> module it imports (at the top or inside a function); a module's own package is left out."""
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph.add_edge(name, target)
    return graph


def test_no_import_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_the_cycle_check_sees_imports_inside_functions():
    graph = import_graph()
    assert graph.has_edge("imri_kg.kb.build", "imri_kg.projects.loading")  # imported at the top of the module
    assert graph.has_edge("imri_kg.store", "imri_kg.publish.jsonld")  # imported inside write_graph


def test_only_the_shared_modules_are_loose():
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == SHARED


def test_every_package_is_in_the_map():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    text = (PACKAGE / "README.md").read_text(encoding="utf-8")
    assert {name for name in packages if f"`{name}/`" not in text} == set()
