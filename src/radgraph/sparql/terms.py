"""Parameter values: reading an IRI or a literal as typed, and writing one as SPARQL text."""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import UsageError
from ..namespaces import PREFIXES

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PNAME = re.compile(r"(?P<prefix>[A-Za-z][A-Za-z0-9_.-]*)?:(?P<local>.*)\Z", re.S)
_QUOTED = re.compile(
    r"""(?P<q>["'])(?P<body>(?:(?!(?P=q))[^\\\n\r]|\\.)*)(?P=q)"""
    r"""(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?\Z""",
    re.S,
)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse_value(text: str) -> URIRef | Literal:
    """Read a parameter value: an IRI or a literal.

    - ``role:radiologist`` (a prefix of :data:`radgraph.namespaces.PREFIXES`),
      ``<https://...>`` or a bare ``https://...`` / ``urn:...`` IRI: an IRI;
    - ``"text"``, ``"text"@en``, ``"12"^^xsd:integer``: that literal;
    - ``12``, ``1.5``, ``true``: a number or boolean;
    - anything else: a plain string, as typed.

    Raises
    ------
    UsageError
        A malformed IRI, or a prefix radgraph does not know.

    Examples
    --------
    >>> parse_value("role:radiologist")
    rdflib.term.URIRef('https://w3id.org/radgraph/id/role/radiologist')
    >>> parse_value('"Radiologist"@en')
    rdflib.term.Literal('Radiologist', lang='en')
    >>> parse_value("12").datatype == XSD.integer
    True
    >>> parse_value("diploma or GED")
    rdflib.term.Literal('diploma or GED')
    """
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return _iri(t[1:-1], text)
    m = _QUOTED.match(t)
    if m:
        body = re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", _unescape, m.group("body"))
        if m.group("lang"):
            return Literal(body, lang=m.group("lang"))
        if m.group("dt"):
            datatype = parse_value(m.group("dt"))
            if not isinstance(datatype, URIRef):
                raise UsageError(f"datatype of {text!r} must be an IRI")
            return Literal(body, datatype=datatype)
        return Literal(body)
    if t in ("true", "false"):
        return Literal(t, datatype=XSD.boolean)
    if re.fullmatch(r"[+-]?\d+", t):
        return Literal(t, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?\d*\.\d+", t):
        return Literal(t, datatype=XSD.decimal)
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", t):
        return Literal(t, datatype=XSD.double)
    m = _PNAME.match(t)
    if m and (m.group("prefix") or "") in PREFIXES:
        return _iri(PREFIXES[m.group("prefix") or ""] + m.group("local"), text)
    if m and not re.search(r"\s", t):
        if "://" in t or t.lower().startswith(("urn:", "mailto:", "tag:")):
            return _iri(t, text)
        raise UsageError(
            f"unknown prefix {m.group('prefix') or ''!r} in {text!r}; known prefixes: {', '.join(PREFIXES)}. "
            "Write a full IRI in <...>, or quote a string: '\"...\"'"
        )
    return Literal(text)


def _unescape(m: re.Match) -> str:
    s = m.group(1)
    if s[0] in "uU" and len(s) > 1:
        if int(s[1:], 16) > 0x10FFFF:
            raise UsageError(f"\\{s} is not a Unicode character")
        return chr(int(s[1:], 16))
    if s in _ECHAR:
        return _ECHAR[s]
    raise UsageError(f"unknown escape \\{s} in a quoted value")


def _iri(iri: str, text: str) -> URIRef:
    if not _SCHEME.match(iri) or _IRI_BAD.search(iri):
        raise UsageError(f"not a valid IRI: {text!r} (an absolute IRI has a scheme and no spaces or <>\"{{}}|^`\\)")
    return URIRef(iri)


# Not rdflib's Literal.n3(): it writes a line break inside a triple-quoted string and a tab as it is
# (a TSV cell cannot hold either), and leaves \u escapes that rdflib and Oxigraph read differently.
def sparql_term(term: Identifier, *, query: bool = True) -> str:
    """Write an IRI or literal as SPARQL (and Turtle) text, escaping every character that could end it.

    Strings are always written on one line between double quotes, with ``\\``,
    ``"``, line breaks and tabs escaped. Engines disagree on ``\\uXXXX``
    escapes (rdflib reads them before anything else, even right after a
    backslash; Oxigraph only inside strings), so in a query (``query=True``) a
    ``u`` or ``U`` right after a backslash, and the hex digits that follow it,
    are written as ``\\u`` escapes themselves, which both read alike. Turtle
    (``query=False``, as in TSV results) needs none of that. IRIs and language
    tags are checked, never escaped.

    Examples
    --------
    >>> print(sparql_term(Literal('say "hi" }\\n#')))
    "say \\"hi\\" }\\n#"
    >>> sparql_term(URIRef("https://example.org/a b"))
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: not a valid IRI: 'https://example.org/a b' (an absolute IRI has a scheme and no spaces or <>"{}|^`\\)
    """
    if isinstance(term, URIRef):
        return f"<{_iri(str(term), str(term))}>"
    if isinstance(term, Literal):
        body = _escape_string(str(term), query=query)
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise UsageError(f"not a valid language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{body}"^^{sparql_term(term.datatype, query=query)}'
        return f'"{body}"'
    if isinstance(term, BNode):
        raise UsageError("a blank node cannot be a parameter value")
    raise UsageError(f"cannot write {term!r} as SPARQL")


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_string(s: str, *, query: bool = True) -> str:
    out = []
    in_escape_run = False
    for i, ch in enumerate(s):
        if query and (in_escape_run and ch in "0123456789abcdefABCDEF" or ch in "uU" and s[i - 1:i] == "\\"):
            # Some engines read \uXXXX escapes before strings (rdflib), others only inside
            # them (Oxigraph): a "u" after a backslash, and the hex digits after it, are
            # escaped themselves so both read the same characters.
            out.append(f"\\u{ord(ch):04X}")
            in_escape_run = True
        else:
            out.append(_STRING_ESCAPES.get(ch, ch))
            in_escape_run = False
    return "".join(out)


def normal_term(term):
    """``"x"^^xsd:string`` as ``"x"``; every other term unchanged.

    Examples
    --------
    >>> normal_term(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term
