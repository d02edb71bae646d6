"""The compiled model cache: answer at once, without parsing Turtle or importing rdflib.

The model read out of the Turtle files is written as JSON into the user's
cache folder (``$RADGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/radgraph``, else
``~/.cache/radgraph``). Its key is a hash of the radgraph version, the
``source`` choice and every file read (path and bytes), so a change to any of
them builds a new entry. Entries are written to a temporary file and renamed,
so two processes building at once each leave a whole file; a corrupt,
truncated, tampered or foreign entry is ignored and rebuilt. Only data that
loaded cleanly (and, for user files, conformed to the shapes) is ever cached.

Not pickle: unpickling a planted file runs any code it names. An entry is a
header line (format, key, SHA-256 of the rest), checked before anything else
is read, then JSON that only the model's own dataclasses are built from: the
worst a planted entry can do is not be read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import __version__
from . import model as _model
from .datafiles import expand_paths, shapes_file, shipped_files
from .model import Model

FORMAT = 3  # bump when the stored shape of the model changes (3: JSON, was a pickle)


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


#: The classes an entry may build, by name: the model's dataclasses, nothing else.
_CLASSES = {cls.__name__: cls for cls in vars(_model).values()
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == _model.__name__}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()}
_MAGIC = b"radgraph-model"


def encode_model(model: Model) -> bytes:
    """The model as JSON: a dataclass is ``{"@": class name, "f": [field values]}``, a tuple a list, and an
    object met again ``{"#": n}``, the n-th dataclass written (in the order a JSON parser completes them),
    so shared requirements and evidence are written once and shared again when read.

    Examples
    --------
    >>> from radgraph.model import Ref
    >>> encode_model(Model(settings={"urn:s": Ref("urn:s", "S")}))[:60]
    b'{"@":"Model","f":[{},{},{},{"urn:s":{"@":"Ref","f":["urn:s",'
    """
    seen: dict[int, int] = {}
    keep = []  # holds every object numbered, so no id() is reused while encoding

    def enc(x):
        t = type(x)
        if t is str or t is int or t is float or t is bool or x is None:
            return x
        if t is tuple or t is list:
            return [enc(v) for v in x]
        if t is dict:
            return {k: enc(v) for k, v in x.items()}
        if t.__name__ in _CLASSES and _CLASSES[t.__name__] is t:
            n = seen.get(id(x))
            if n is not None:
                return {"#": n}
            out = {"@": t.__name__, "f": [enc(getattr(x, f)) for f in _FIELDS[t.__name__]]}
            seen[id(x)] = len(keep)  # numbered after its fields: the order a parser completes objects in
            keep.append(x)
            return out
        if isinstance(x, str):  # a str subclass (Lit)
            return str(x)
        raise TypeError(f"the model cache cannot hold {t.__name__}")

    return json.dumps(enc(model), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_model(data: bytes) -> Model:
    """The model :func:`encode_model` wrote. Raises ValueError (or TypeError, KeyError, ...) for anything else.

    Examples
    --------
    >>> m = load_model()
    >>> decode_model(encode_model(m)) == m
    True
    """
    made: list = []
    new = object.__new__

    def hook(obj: dict):
        name = obj.get("@")
        if name is not None:
            cls, fields = _CLASSES[name], _FIELDS[name]
            values = obj["f"]
            if type(values) is not list or len(values) != len(fields):
                raise ValueError(f"not a {name}")
            # as pickle builds them, without __init__ (a frozen dataclass's sets each field the slow way);
            # JSON holds only str, numbers, bool, None, lists (made tuples), dicts and the classes above
            item = new(cls)
            item.__dict__.update(zip(fields, [_tuples(v) if type(v) is list else v for v in values], strict=True))
            made.append(item)
            return item
        if "#" in obj:
            return made[obj["#"]]
        return obj

    model = json.loads(data, object_hook=hook)
    if type(model) is not Model:
        raise ValueError("not a model")
    return model


def _tuples(x):
    return tuple(_tuples(v) if type(v) is list else v for v in x)


def _entry(key: str) -> Path:
    return cache_dir() / f"model-{key}.json"


def read_cached(key: str) -> Model | None:
    """The cached model for ``key``, or None when absent, corrupt, tampered with or foreign.

    The header (format, key, checksum of the rest) is checked before the rest is parsed.
    """
    try:
        with open(_entry(key), "rb") as f:
            header = f.readline(200).split()
            if header[:3] != [_MAGIC, str(FORMAT).encode(), key.encode()] or len(header) != 4:
                return None
            body = f.read()
        if hashlib.sha256(body).hexdigest().encode() != header[3]:
            return None
        return decode_model(body)
    except Exception:  # absent, truncated, corrupt, planted, or from another version: rebuild
        return None


def write_cached(key: str, model: Model) -> None:
    """Store ``model`` atomically; a cache that cannot be written is skipped."""
    folder = cache_dir()
    try:
        body = encode_model(model)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(b"%s %d %s %s\n" % (_MAGIC, FORMAT, key.encode(), hashlib.sha256(body).hexdigest().encode()))
                f.write(body)
            os.replace(tmp, _entry(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError):
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
    key = _model_key(paths, source, do_validate)
    if use_cache:
        cached = read_cached(key)
        if cached is not None:
            return cached
    model = build_from_files(paths, validate=do_validate)
    if use_cache:
        write_cached(key, model)
    return model


def load_kg(extra: Iterable[str | Path] = (), *, source: str = "all", validate: bool | None = None):
    """:func:`radgraph.kg.load` (the rdflib graph and its model), the model from the cache when it can.

    The commands that need the graph itself (``export``, ``query``) parse the Turtle
    still, but files that conformed once (same bytes, same shapes: an entry for
    validated files is written only once they conform) are not validated again,
    and the model is not read out of the graph again.
    """
    from .kg import KnowledgeGraph, load_graph, model_of

    extra = list(extra)
    graph, paths = load_graph(extra, source, trusted=validate is False)
    do_validate = validate if validate is not None else bool(extra)
    key = _model_key(paths, source, do_validate)
    model = read_cached(key)
    if model is None:
        model = model_of(graph, validate=do_validate)
        write_cached(key, model)
    return KnowledgeGraph(graph=graph, model=model, files=tuple(paths))


def _model_key(paths: list[Path], source: str, validate: bool) -> str:
    # a validated entry holds only if the shapes it was checked against still hold
    return cache_key([*paths, shapes_file()] if validate else paths, source, validate)


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
