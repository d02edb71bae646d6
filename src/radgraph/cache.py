"""The compiled model cache: answer at once, without parsing Turtle or importing rdflib.

The model read out of the Turtle files is pickled into the user's cache
folder (``$RADGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/radgraph``, else
``~/.cache/radgraph``). Its key is a hash of the radgraph version, the
``source`` choice and every file read (path and bytes), so a change to any of
them builds a new entry. Entries are written to a temporary file and renamed,
so two processes building at once each leave a whole file; a corrupt,
truncated or foreign entry is ignored and rebuilt. Only data that loaded
cleanly (and, for user files, conformed to the shapes) is ever cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from .datafiles import expand_paths, shapes_file, shipped_files
from .model import Model

FORMAT = 2  # bump when the pickled shape of the model changes


def cache_dir() -> Path:
    """The folder the cache lives in (see the module docstring)."""
    explicit = os.environ.get("RADGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "radgraph"


#: The code that decides what a cached model holds. An editable install keeps
#: its version number while this code changes, so its bytes are part of the key:
#: an entry pickled by older code (say, before a field was added) is never read.
BUILDERS = ("model.py", "reader.py", "triples.py", "vocab.py", "ctdl/reader.py", "ctdl/context.jsonld")


def cache_key(paths: Iterable[Path], source: str, validated: bool) -> str:
    h = hashlib.sha256()
    h.update(f"radgraph {__version__} format {FORMAT} source {source} validated {validated}\n".encode())
    here = Path(__file__).parent
    code = [here / name for name in BUILDERS if (here / name).is_file()]
    for path in [*code, *paths]:
        h.update(str(path.resolve()).encode() + b"\0")
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def read_cached(key: str) -> Model | None:
    """The cached model for ``key``, or None when absent, corrupt or foreign."""
    path = cache_dir() / f"model-{key}.pickle"
    try:
        with open(path, "rb") as f:
            stored_key, model = pickle.load(f)
    except Exception:  # absent, truncated, corrupt, or from another version: rebuild
        return None
    if stored_key != key or not isinstance(model, Model):
        return None
    return model


def write_cached(key: str, model: Model) -> None:
    """Store ``model`` atomically; a cache that cannot be written is skipped."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, model), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"model-{key}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def load_model(extra: Iterable[str | Path] = (), *, source: str = "all", validate: bool | None = None,
               use_cache: bool = True) -> Model:
    """The model of the shipped graph plus ``extra`` files, from the cache when it can.

    Same checks as :func:`radgraph.kg.load`: user files are validated against
    the shapes (unless ``validate=False``); a bad file raises and is never cached.

    Examples
    --------
    >>> load_model().find_role("rt").label
    'Radiologic Technologist'
    """
    extra = list(extra)
    user = expand_paths(extra, trusted=validate is False)
    paths = [*shipped_files(source), *user]
    do_validate = validate if validate is not None else bool(user)
    # a validated entry holds only if the shapes it was checked against still hold
    key = cache_key([*paths, shapes_file()] if do_validate else paths, source, do_validate)
    if use_cache:
        cached = read_cached(key)
        if cached is not None:
            return cached
    model = build_from_files(paths, validate=do_validate)
    if use_cache:
        write_cached(key, model)
    return model


def build_from_files(paths: list[Path], *, validate: bool) -> Model:
    """Parse, validate (with the shapes, which needs rdflib) and read the model."""
    from .reader import build_model, check_model
    from .triples import parse_files

    index = parse_files(paths)
    if validate:
        from .errors import NotConformingError
        from .kg import graph_from_files, validate_graph

        violations = validate_graph(graph_from_files(paths))
        if violations:
            raise NotConformingError(violations)
    model = build_model(index)
    check_model(model)
    return model
