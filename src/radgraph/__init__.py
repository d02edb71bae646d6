"""radgraph: a knowledge graph of radiology careers and credentials.

The public API: :func:`load` the graph, look roles up, plan paths.

Examples
--------
>>> import radgraph
>>> kg = radgraph.load()
>>> kg.find_role("Interventional technologist").label
'Interventional Radiology Technologist'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    AmbiguousNameError,
    DataError,
    NoPathError,
    NotConformingError,
    RadGraphError,
    UnknownNameError,
    UsageError,
)


def load(extra=(), *, validate=None, source="all"):
    """Load the shipped graph merged with ``extra`` Turtle files; see :func:`radgraph.kg.load`."""
    from .kg import load as _load

    return _load(extra, validate=validate, source=source)


__all__ = [
    "__version__",
    "load",
    "RadGraphError",
    "UsageError",
    "UnknownNameError",
    "AmbiguousNameError",
    "DataError",
    "NotConformingError",
    "NoPathError",
]
