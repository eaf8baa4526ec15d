"""Views: copies of a query checkpoint that hold only the graphs one audience may read.

A caller who may not read every graph gets a dataset that lists its graphs one by one, and
Oxigraph evaluates a triple pattern on such a default graph with one index scan per listed
graph, where the union of all graphs takes one: joins ran 4-10 times slower for a partner
than for an admin on the same data (docs/benchmarks.md, issue #6). A view is a store holding
exactly the graphs a caller reads, so its union default graph *is* the caller's dataset and
the query runs at the admin's speed. It is also the strongest form of the restriction: what
the caller may not read is not there.

Views are built in the background, one per distinct set of graphs (an audience: a role and
organisation with the same grants), from the checkpoint the queries use, by dumping each
graph and bulk-loading it (Rust code that releases the GIL: the server keeps answering).
A view belongs to one checkpoint: after a write, queries use the listed dataset again until
the view of the new checkpoint is ready, so no query ever misses a committed write. At most
``limit`` views exist per checkpoint; more audiences than that use the listed dataset.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)

#: the unnamed default graph in a set of graphs (as in ``kg.access``)
DEFAULT_GRAPH = ""

#: a view's directory is its checkpoint's path, this, and an id
VIEW_MARK = "-view-"


class Views:
    """The views of the current checkpoint, and the builds under way.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> source = ox.Store(str(root / "store"))
    >>> for g in ("http://ex/a", "http://ex/b"):
    ...     source.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"),
    ...                        ox.Literal(g), ox.NamedNode(g)))
    >>> source.backup(str(root / "checkpoint")); del source
    >>> views = Views(limit=2)
    >>> views.find(str(root / "checkpoint"), frozenset({"http://ex/a"})) is None  # starts it
    True
    >>> views.wait()
    >>> path = views.find(str(root / "checkpoint"), frozenset({"http://ex/a"}))
    >>> [q.object.value for q in ox.Store.read_only(path)]
    ['http://ex/a']
    """

    def __init__(self, *, limit: int) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._checkpoint = ""
        self._ready: dict[frozenset[str], str | None] = {}  # None: the build failed
        self._building: dict[frozenset[str], str] = {}
        self._running: dict[str, str] = {}  # target -> checkpoint of every build, stale too
        self._threads: list[threading.Thread] = []

    def find(self, checkpoint: str, graphs: frozenset[str]) -> str | None:
        """The view of ``checkpoint`` holding ``graphs``, or None (its build is then started,
        unless the limit is reached)."""
        with self._lock:
            if checkpoint != self._checkpoint:  # a write happened: earlier views are stale
                self._checkpoint, self._ready, self._building = checkpoint, {}, {}
            found = self._ready.get(graphs)
            if graphs not in self._ready and graphs not in self._building and (
                    len(self._ready) + len(self._building) < self._limit):
                target = f"{checkpoint}{VIEW_MARK}{uuid.uuid4().hex}"
                self._building[graphs] = target
                self._running[target] = checkpoint
                thread = threading.Thread(
                    target=self._build, args=(checkpoint, graphs, target),
                    name="htkg-view-build", daemon=True)
                self._threads = [t for t in self._threads if t.is_alive()] + [thread]
                thread.start()
            return found

    def in_use(self) -> set[str]:
        """Directories that must not be removed: the views, those being built, and the
        checkpoint they are built from."""
        with self._lock:
            views = {path for path in self._ready.values() if path is not None}
            return {self._checkpoint, *views, *self._running, *self._running.values()}

    def wait(self) -> None:
        """Wait for the builds under way (tests and benchmarks)."""
        for thread in list(self._threads):
            thread.join()

    def _build(self, checkpoint: str, graphs: frozenset[str], target: str) -> None:
        try:
            build_view(checkpoint, graphs, Path(target))
            built: str | None = target
        except Exception:  # the listed dataset keeps answering; say why views are missing
            log.exception("could not build the view of %d graphs", len(graphs))
            shutil.rmtree(target, ignore_errors=True)
            built = None  # not tried again for this checkpoint
        with self._lock:
            del self._running[target]
            current = self._checkpoint == checkpoint and self._building.get(graphs) == target
            if current:
                del self._building[graphs]
                self._ready[graphs] = built
        if not current:  # a write came meanwhile: nobody will use it
            shutil.rmtree(target, ignore_errors=True)


def build_view(checkpoint: str, graphs: frozenset[str], target: Path) -> None:
    """Copy ``graphs`` of the store at ``checkpoint`` into a new store at ``target``."""
    source = ox.Store.read_only(checkpoint)
    view = ox.Store(str(target))
    spool = target.with_name(target.name + ".nt")
    try:
        for graph in sorted(graphs):
            name: ox.NamedNode | ox.DefaultGraph = (
                ox.DefaultGraph() if graph == DEFAULT_GRAPH else ox.NamedNode(graph))
            if isinstance(name, ox.NamedNode):
                if not source.contains_named_graph(name):
                    continue
                view.add_graph(name)  # kept even when empty: GRAPH ?g {} lists it
            source.dump(str(spool), ox.RdfFormat.N_TRIPLES, from_graph=name)
            view.bulk_load(path=str(spool), format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        # one bulk load per graph leaves overlapping files that every lookup must visit:
        # queries ran twice as slow until compacted (measured at 100k: +15% build time)
        view.optimize()
    finally:
        spool.unlink(missing_ok=True)
        del view, source  # closed, so that workers may open it read-only
