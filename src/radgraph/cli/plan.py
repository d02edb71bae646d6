"""path and next: a person's progression from one role to another, or one step on."""

from __future__ import annotations

import sys

import click

from .common import FORMATS_TEXT_JSON, TIMEOUT, Progress, State, echo_data, echo_text, emit_json, handle_errors


class WorkedMonths(click.ParamType):
    """``ROLE=MONTHS``: months already worked in a role (a name, as ``show`` takes it)."""

    name = "ROLE=MONTHS"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        role, sep, months = str(value).rpartition("=")
        if not sep or not role.strip():
            self.fail(f"{value!r} is not ROLE=MONTHS (e.g. \"Radiologic Technologist=18\")", param, ctx)
        try:
            number = float(months)
        except ValueError:
            number = float("nan")
        if not 0 <= number <= 1200:  # also refuses nan and inf
            self.fail(f"months in {value!r} must be a number from 0 to 1200", param, ctx)
        return role.strip(), number


def situation_options(func):
    """--have, --worked, --held-role and --as-of: a person's situation, shared by path and next."""
    func = click.option("--as-of", "as_of", metavar="DATE", default=None,
                        help="Plan with the rules in force on DATE (YYYY-MM-DD). Default: today.")(func)
    func = click.option("--held-role", "held_roles", multiple=True, metavar="ROLE",
                        help="A role you held before (repeatable): what it required counts as yours.")(func)
    func = click.option("--worked", multiple=True, type=WorkedMonths(),
                        help="Months already worked in a role, as ROLE=MONTHS (repeatable). "
                             "Months in FROM are your current stint.")(func)
    func = click.option("--have", multiple=True, metavar="CRED",
                        help="A credential you already hold (label or IRI; repeatable).")(func)
    return func


def _planner(model, as_of: str | None):
    from ..planner import Planner
    from ..rules import parse_date

    return Planner(model, as_of=parse_date(as_of))


def _worked(worked) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, months in worked:
        out[role] = out.get(role, 0.0) + months
    return out


@click.command()
@click.argument("from_role", metavar="FROM")
@click.argument("to_role", metavar="TO")
@situation_options
@click.option("--alternatives", type=click.IntRange(1, 50), default=1, show_default=True,
              help="How many distinct paths to show, cheapest first.")
@click.option("--optimize", type=click.Choice(["known", "months", "steps"]), default="known", show_default=True,
              help="Rank by fewest items of unknown length, then months (known; 'months' is the same), "
                   "or by number of role changes (steps).")
@click.option("--explain", is_flag=True, help="Show the source passage and the reason behind each item.")
@click.option("--format", "format_", type=click.Choice(["text", "json", "mermaid", "dot"]),
              default="text", show_default=True)
@click.option("--endpoint", metavar="URL",
              help="Plan on the graph held by this SPARQL 1.1 endpoint (its query URL), fetching only what a plan "
                   "for TO reads (with --alternatives above 1, everything the planner reads).")
@click.option("--timeout", type=TIMEOUT, default=30.0, show_default=True,
              help="Seconds to wait for each answer of the endpoint (at most a day).")
@click.pass_obj
@handle_errors
def path(state: State, from_role: str, to_role: str, have: tuple[str, ...], worked, held_roles: tuple[str, ...],
         as_of: str | None, alternatives: int, optimize: str, explain: bool, format_: str, endpoint: str | None,
         timeout: float) -> None:
    """The best progression from role FROM to role TO, step by step.

    The answer comes first: the route, the total time as a range (items
    whose length no source gives are counted apart, never as 0) and what to
    earn, in order. --explain adds the source passage behind each item.
    FROM may be "none" (no role yet).

    \b
    Examples:
      radgraph path "Radiology Assistant" "Interventional Radiology Technologist"
      radgraph path none "Radiologic Technologist" --have "High School Diploma"
      radgraph path rt "Radiologist Assistant" --worked "rt=30" --explain
      radgraph path none Radiologist --as-of 2019-01-01
      radgraph path "Radiology Assistant" rt --format json | jq '.paths[0].total'
      radgraph path "Radiology Assistant" rt --endpoint http://127.0.0.1:7878/query
    """
    from ..planner import START
    from ..report import format_plan, plan_dict
    from ..rules import parse_date

    parse_date(as_of)  # a bad date is bad usage, found before the server is asked
    with Progress(sys.stderr) as progress:  # a line on a terminal once the work runs past a second
        progress("fetching the graph from the endpoint" if endpoint else "reading the graph")
        if endpoint and alternatives == 1:
            # only the part a plan for TO reads; names are found as the whole graph finds them, then passed as ids
            part = state.remote_part(endpoint, timeout, to_role,
                                     start=None if from_role.strip().casefold() == START else from_role, have=have,
                                     roles=(*(name for name, _ in worked), *held_roles),
                                     whole_start=format_ == "json")  # a step's direction reads the start's entry
            model, from_role, to_role, have = part.model, part.start or START, part.goal, part.have
            n = len(worked)
            worked, held_roles = tuple(zip(part.roles[:n], (m for _, m in worked), strict=True)), part.roles[n:]
        elif endpoint:  # alternatives may take detours through any role: everything the planner reads
            model = state.remote_model(endpoint, timeout)
        else:
            model = state.model
        planner = _planner(model, as_of)
        planner.progress = progress
        paths = planner.plan(from_role, to_role, have=have, alternatives=alternatives, optimize=optimize,
                             worked=_worked(worked), held_roles=held_roles)
        if endpoint and alternatives == 1 and not part.complete:
            progress("fetching what the plan shows from the endpoint")
            part = state.remote_evidence(endpoint, timeout, part, paths)
            planner = _planner(part.model, as_of)
            paths = [planner.restated(p) for p in paths]
    if format_ == "json":
        emit_json(plan_dict(planner, paths[0].roles[0], paths[0].roles[-1], paths))
    elif format_ in ("mermaid", "dot"):
        from ..plan_pictures import plan_dot, plan_mermaid

        echo_data((plan_mermaid if format_ == "mermaid" else plan_dot)(planner, paths))
    else:
        echo_text(format_plan(planner, paths, explain=explain))


@click.command(name="next")
@click.argument("role")
@situation_options
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def next_(state: State, role: str, have: tuple[str, ...], worked, held_roles: tuple[str, ...], as_of: str | None,
          format_: str) -> None:
    """The roles reachable from ROLE in one step: progressions first, steps down last.

    ROLE may be "none" (no role yet).

    \b
    Examples:
      radgraph next "Radiologic Technologist"
      radgraph next none --format json
    """
    from ..report import format_next, next_dict

    planner = _planner(state.model, as_of)
    steps = planner.next_roles(role, have=have, worked=_worked(worked), held_roles=held_roles)
    start = planner._resolve(role, allow_none=True)
    if format_ == "json":
        emit_json(next_dict(planner, start, steps))
    else:
        echo_text(format_next(planner, start, steps))
