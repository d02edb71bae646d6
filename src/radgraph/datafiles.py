"""Where the data comes from: the shipped Turtle files and a user's files or folders.

No rdflib here: the cached model path lists and hashes files without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from .errors import DataError, UsageError

ONTOLOGY_DIR = files("radgraph") / "ontology"


#: Which shipped data files each ``source`` choice reads. ``article`` is what
#: the radiology careers article alone says; ``all`` adds the public pages
#: (ARRT, JRCERT, ABR, ACGME, AHA, O*NET) of ``public.ttl`` and what a careers
#: advisor knows from them (identities, durations, dates) in ``advice.ttl``.
SOURCES = {"article": ("article.ttl", "jurisdictions.ttl"), "all": None}


def shipped_files(source: str = "all") -> list[Path]:
    """The Turtle files of the shipped graph: the vocabulary, then the data.

    Examples
    --------
    >>> [p.name for p in shipped_files()]
    ['radgraph.ttl', 'advice.ttl', 'article.ttl', 'jurisdictions.ttl', 'public.ttl']
    >>> [p.name for p in shipped_files("article")]
    ['radgraph.ttl', 'article.ttl', 'jurisdictions.ttl']
    """
    if source not in SOURCES:
        raise UsageError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    root = Path(str(ONTOLOGY_DIR))
    data = sorted((root / "data").glob("*.ttl"))
    keep = SOURCES[source]
    if keep is not None:
        data = [p for p in data if p.name in keep]
    return [root / "radgraph.ttl", *data]


def shapes_file() -> Path:
    return Path(str(ONTOLOGY_DIR)) / "shapes.ttl"


#: The most user data radgraph reads, all files together. Validation holds it
#: all in memory as rdflib and pyshacl objects, about 70 bytes for each byte of
#: Turtle: 16 MB takes about 1 GB and half a minute. Past it, a clean refusal
#: beats running out of memory.
MAX_USER_BYTES = 16 * 2**20

#: The most user data read without validation (``--no-validate``), on the
#: cached model path: pyoxigraph and the plain triple index take about 20 bytes
#: for each byte of Turtle, so 64 MB (about 4 million triples) stays near 1.5 GB.
MAX_TRUSTED_BYTES = 64 * 2**20


def expand_paths(paths: Iterable[str | Path], *, trusted: bool = False) -> list[Path]:
    """Turn files and folders into a sorted list of Turtle files; missing ones raise.

    So do more than :data:`MAX_USER_BYTES` in all (:data:`MAX_TRUSTED_BYTES`
    when ``trusted``: not validated, read by pyoxigraph), checked before anything is read.
    """
    limit = MAX_TRUSTED_BYTES if trusted else MAX_USER_BYTES
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        try:
            out.extend(_turtle_files(path))
        except OSError as exc:  # a name too long for the file system, a folder that cannot be read, ...
            raise DataError(f"{path}: {exc.strerror or exc}") from None
    total = 0
    for path in out:
        try:
            total += path.stat().st_size
        except OSError as exc:  # gone or unreadable since it was listed
            raise DataError(f"{path}: {exc.strerror or exc}") from None
        if total > limit:
            hint = (f" (with --no-validate, which skips the check, up to {_mb(MAX_TRUSTED_BYTES)})"
                    if limit < MAX_TRUSTED_BYTES else "")
            raise DataError(f"{path}: too much data: your files come to more than {_mb(limit)}, "
                            f"the most radgraph {'reads' if trusted else 'validates'}{hint}")
    return out


def _mb(n: int) -> str:
    return f"{n >> 20} MB" if n >= 2**20 else f"{n} bytes"


def _turtle_files(path: Path) -> list[Path]:
    """The Turtle files ``path`` names: itself, or every .ttl file below a folder."""
    if path.is_dir():
        found = sorted(x for x in path.rglob("*.ttl") if x.is_file())
        if not found:
            raise DataError(f"{path}: folder holds no .ttl file")
        return found
    if path.is_file():
        return [path]
    if path.exists():  # a device, a pipe, a socket: e.g. --data /dev/zero
        raise DataError(f"{path}: not a regular file or folder")
    raise DataError(f"{path}: no such file or folder")
