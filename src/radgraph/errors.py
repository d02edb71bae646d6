"""RadGraphError and its few subclasses; each message names the bad value.

Each class carries the CLI exit code it maps to (see README, "Exit codes").
"""

from __future__ import annotations


class RadGraphError(Exception):
    """Base class: the work failed (exit 1)."""

    exit_code = 1


class UsageError(RadGraphError):
    """Bad input from the user: an unknown name, a bad option value (exit 2)."""

    exit_code = 2


class UnknownNameError(UsageError, LookupError):
    """No role or credential matches a name; ``suggestions`` holds the closest."""

    def __init__(self, what: str, name: str, suggestions: list[str]):
        self.what = what
        self.name = name
        self.suggestions = suggestions
        msg = f"no {what} matches {quoted(name)}."
        if suggestions:
            msg += " Did you mean: " + ", ".join(suggestions) + "?"
        else:
            msg += f" Run '{_LISTING.get(what, f'radgraph {what}s')}' to list them."
        super().__init__(msg)


class AmbiguousNameError(UsageError, LookupError):
    """A name fits more than one role or credential equally well; ``candidates`` lists them."""

    def __init__(self, what: str, name: str, candidates: list[str]):
        self.what = what
        self.name = name
        self.candidates = candidates
        super().__init__(f"{quoted(name)} names more than one {what}: {', '.join(candidates)}. "
                         "Say which, by its full name.")


#: The command that lists each kind of thing a user names (there is no `radgraph credentials`).
_LISTING = {"role": "radgraph roles", "credential": "radgraph query credential-issuers"}


def quoted(text: str, limit: int = 80) -> str:
    """``text`` quoted as Python does (control characters escaped), cut to ``limit`` characters.

    The cut is made before quoting, so an escape is never split and the
    quoted text, ``...`` included, stays within ``limit``.

    Examples
    --------
    >>> quoted("Radiology Astronaut")
    "'Radiology Astronaut'"
    >>> len(quoted("x" * 100_000)), quoted("x" * 100_000)[-5:]
    (80, "x...'")
    >>> len(quoted(chr(0) * 100_000)) <= 80
    True
    """
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    cut = text[:limit]
    while cut and len(repr(cut + "...")) > limit:
        cut = cut[:-1]
    return repr(cut + "...")


class DataError(UsageError):
    """A data file cannot be read: missing, malformed, or inconsistent (exit 2)."""


class NotConformingError(RadGraphError):
    """Data does not conform to the shapes (exit 3); ``violations`` lists them."""

    exit_code = 3

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__(f"data does not conform: {len(violations)} violation(s)")


class NoPathError(RadGraphError):
    """No progression exists between two roles (exit 1)."""
