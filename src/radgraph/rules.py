"""Rules in time: which requirements are in force on a date.

A requirement node may carry the date it took effect and the last day it was in
force (``effective_from``/``effective_until``, from a cited source). A plan is
made with the rules in force on one day (``as_of``, today by default):

* a member of an all-of that is not in force is not asked for;
* a member of an any-of that is not in force is not a way in any more;
* an any-of none of whose members is in force cannot be met (it stays, empty).

The source's own statement stays in the graph; :func:`superseded` lists what a
date leaves out, so the text can say so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .errors import UsageError
from .model import AllOf, AnyOf, Model, Requirement, walk


def parse_date(text: str | dt.date | None) -> dt.date:
    """A date from ``YYYY-MM-DD`` (or a ``date``); None means today.

    Examples
    --------
    >>> parse_date("2020-06-30")
    datetime.date(2020, 6, 30)
    >>> parse_date("30/06/2020")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: a date is written YYYY-MM-DD (e.g. 2026-01-31), not '30/06/2020'
    """
    if text is None:
        return dt.date.today()
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        from .errors import quoted

        raise UsageError(f"a date is written YYYY-MM-DD (e.g. 2026-01-31), not {quoted(str(text))}") from None


def in_force(req: Requirement, day: dt.date) -> bool:
    """True when ``req`` itself is in force on ``day`` (its members are not looked at)."""
    if req.effective_from and dt.date.fromisoformat(req.effective_from) > day:
        return False
    if req.effective_until and dt.date.fromisoformat(req.effective_until) < day:
        return False
    return True


def prune(req: Requirement | None, day: dt.date, _memo: dict | None = None) -> Requirement | None:
    """The tree as it stands on ``day``: members not in force are left out.

    Returns None when nothing in force is asked (the whole tree, or an all-of
    whose members all ended). Shared nodes are pruned once.
    """
    memo = {} if _memo is None else _memo
    if req is None:
        return None
    if req.id in memo:
        return memo[req.id]
    if not in_force(req, day):
        out = None
    elif isinstance(req, (AllOf, AnyOf)):
        members = tuple(m for m in (prune(x, day, memo) for x in req.members) if m is not None)
        if isinstance(req, AllOf) and not members:
            out = None
        else:  # an any-of with no member in force stays, empty: nothing can meet it
            out = req if members == req.members else dataclasses.replace(req, members=members)
    else:
        out = req
    memo[req.id] = out
    return out


def model_on(model: Model, day: dt.date) -> Model:
    """A copy of ``model`` whose requirement trees hold only the rules in force on ``day``.

    Examples
    --------
    >>> import radgraph, datetime
    >>> m = radgraph.load().model
    >>> model_on(m, datetime.date.today()) is m or True
    True
    """
    if not any(n.effective_from or n.effective_until for n in _nodes(model)):
        return model
    memo: dict = {}
    roles = {k: dataclasses.replace(r, requires=prune(r.requires, day, memo), maintains=prune(r.maintains, day, memo))
             for k, r in model.roles.items()}
    creds = {k: dataclasses.replace(c, requires=prune(c.requires, day, memo)) if c.requires is not None else c
             for k, c in model.credentials.items()}
    return dataclasses.replace(model, roles=roles, credentials=creds)


def superseded(model: Model, day: dt.date) -> list[Requirement]:
    """Requirement nodes a source states that are not in force on ``day`` (ended, or not yet begun)."""
    seen: dict[str, Requirement] = {}
    for n in _nodes(model):
        if not in_force(n, day):
            seen.setdefault(n.id, n)
    return sorted(seen.values(), key=lambda n: n.id)


def _nodes(model: Model):
    for role in model.roles.values():
        yield from walk(role.requires)
        yield from walk(role.maintains)
    for cred in model.credentials.values():
        yield from walk(cred.requires)
