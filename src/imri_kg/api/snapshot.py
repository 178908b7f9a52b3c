"""The store a server reads, reopened when a writer changed it on disk: one consistent snapshot per request.

An on-disk store is opened read-only, which is a snapshot: writes made later by the CLI are not seen, and a load
swaps in a new directory under the open one. Before each request a worker compares the store's version
(locking.py: the directory's identity and the version every whole write records) with the one it opened, and
reopens the store when they differ. A request is answered from one store object from start to end, so it sees
one snapshot; answers kept in the cache are keyed by the version too.
"""

from typing import TYPE_CHECKING

from imri_kg.store.locking import read_version
from imri_kg.store.remote import is_remote

if TYPE_CHECKING:
    from pyoxigraph import Store

    from imri_kg.api.settings import Settings


def open_read_store(settings: "Settings") -> "Store":
    """The web process's store: the on-disk one opened read-only, a SPARQL engine, or a fresh in-memory build."""
    from pyoxigraph import Store

    from imri_kg.store.remote import is_remote

    if is_remote(settings.store_dir):  # a SPARQL engine, read through the protocol
        from imri_kg.store import open_store

        return open_store(settings.store_dir, base=settings.base)
    if settings.store_dir is not None:
        from imri_kg.store.bulk import recover

        recover(settings.store_dir)  # finish or forget a bulk load that was killed
        return Store.read_only(str(settings.store_dir))
    from imri_kg.kb.build import build_store

    return build_store(base=settings.base)


def store_version(settings: "Settings") -> str:
    """The on-disk store's version, or "" for a store built in memory or reached over HTTP (never swapped)."""
    if settings.store_dir is None or is_remote(settings.store_dir):
        return ""
    return read_version(settings.store_dir)


class Snapshot:
    """The open store of one process and the version it was opened at."""

    def __init__(self, settings: "Settings", store: "Store | None" = None) -> None:
        """`store`: the store already opened read-only at the current version, else opened now."""
        self.settings = settings
        self.version = store_version(settings)
        self.store: Store = store if store is not None else open_read_store(settings)

    def changed(self) -> bool:
        return store_version(self.settings) != self.version

    def fresh(self) -> "Store":
        """The store as it is on disk now: the open one, or a new read-only open when a writer changed it."""
        if self.changed():
            version = store_version(self.settings)
            self.store = open_read_store(self.settings)
            self.version = version
        return self.store
