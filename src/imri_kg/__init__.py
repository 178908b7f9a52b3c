"""imri-kg: a knowledge graph of the evidence on implementing mental-health recovery into services."""

from imri_kg.errors import InputError
from imri_kg.kb import read_kb
from imri_kg.store import DEFAULT_BASE, build_store, open_store, write_graph

__version__ = "0.1.0"
__all__ = ["DEFAULT_BASE", "InputError", "__version__", "build_store", "open_store", "read_kb", "write_graph"]
