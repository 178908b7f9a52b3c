"""Build hook: a wheel carries the top-level folders read at run time inside the package, as imri_kg/_resources/.

Everything else is in pyproject.toml. An editable install copies nothing: imri_kg.resources then reads the
top-level folders of the checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("ontology", "shapes", "queries", "data", "mappings", "examples")  # as imri_kg.resources.FOLDERS
CODEMIRROR = Path("web/node_modules/codemirror")  # installed by `make` (npm ci --prefix web); optional
CODEMIRROR_FILES = ("lib/codemirror.js", "lib/codemirror.css", "mode/sparql/sparql.js", "addon/hint/show-hint.js",
                    "addon/hint/show-hint.css", "LICENSE")  # as imri_kg.resources.CODEMIRROR_FILES


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "imri_kg" / "_resources"
        for folder in FOLDERS:
            shutil.copytree(folder, target / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        for name in CODEMIRROR_FILES if (CODEMIRROR / CODEMIRROR_FILES[0]).is_file() else ():
            (target / "codemirror" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CODEMIRROR / name, target / "codemirror" / name)


setup(cmdclass={"build_py": BuildPyWithResources})
