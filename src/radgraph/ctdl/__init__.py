"""CTDL, the Credential Transparency Description Language (``https://purl.org/ctdl/terms/``):
the terms radgraph writes and reads, the Credential Engine Registry's minimum data, and the
JSON-LD context radgraph ships for both (``terms.json``, ``context.jsonld`` beside this file).

The writer is :mod:`radgraph.export.ctdl`; the reader, :mod:`radgraph.ctdl.reader`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

CETERMS = "https://purl.org/ctdl/terms/"

#: The context CTDL records name (the Registry's), read with the shipped context instead:
#: radgraph fetches nothing.
REMOTE_CONTEXTS = frozenset({
    "https://credreg.net/ctdl/schema/context/json", "http://credreg.net/ctdl/schema/context/json",
    "https://credreg.net/ctdl/schema/context/json/", "http://credreg.net/ctdl/schema/context/json/",
})


@cache
def terms() -> dict:
    """``terms.json``: the CTDL terms radgraph uses, each with the source it was read in, and the
    Registry's required properties per class.

    Examples
    --------
    >>> terms()["classes"]["ceterms:ConditionProfile"]
    'ConditionProfile'
    >>> terms()["required"]["ceterms:ConditionProfile"]["all"]
    ['ceterms:description']
    """
    return json.loads((files("radgraph.ctdl") / "terms.json").read_text(encoding="utf-8"))


@cache
def _context_text() -> str:
    return (files("radgraph.ctdl") / "context.jsonld").read_text(encoding="utf-8")


def context() -> dict:
    """The shipped JSON-LD ``@context`` (a fresh copy): the prefixes, and which CTDL properties hold
    language maps, links or dates. It is not a copy of the Registry's context, only what radgraph needs.

    Examples
    --------
    >>> context()["ceterms:targetCredential"]
    {'@type': '@id'}
    """
    return json.loads(_context_text())["@context"]


def known(term: str) -> bool:
    """Whether ``term`` (``ceterms:Name``) is in the stored CTDL term list.

    >>> known("ceterms:alternativeCondition"), known("ceterms:alternateCondition")
    (True, False)
    """
    t = terms()
    return term in t["classes"] or term in t["properties"]
