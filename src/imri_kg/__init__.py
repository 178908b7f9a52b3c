"""imri-kg: a knowledge graph of the evidence on implementing mental-health recovery into services."""

from typing import Any

from imri_kg.errors import InputError

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The store and knowledge-base functions, imported on first use (a query worker needs none of them)."""
    if name == "read_kb":
        from imri_kg.kb import read_kb

        return read_kb
    if name == "build_store":
        from imri_kg.kb.build import build_store

        return build_store
    if name in ("DEFAULT_BASE", "open_store", "write_graph"):
        from imri_kg import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["DEFAULT_BASE", "InputError", "__version__", "build_store", "open_store", "read_kb", "write_graph"]
