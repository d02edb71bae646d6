"""The ``radgraph`` command line: click only, a thin shell over the library.

This is the only module that prints or exits. Data goes to stdout,
diagnostics to stderr. Exit codes: 0 done, 1 the work failed, 2 bad usage
or unknown name, 3 data does not conform.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from . import __version__
from .errors import NotConformingError, RadGraphError

FORMATS_TEXT_JSON = click.Choice(["text", "json"])


class State:
    """Global options, turned into one object in ``ctx.obj``; loads the graph once, lazily."""

    def __init__(self, data: tuple[str, ...]):
        self.data = data
        self._kg = None

    @property
    def kg(self):
        if self._kg is None:
            from .kg import load

            self._kg = load(self.data)
        return self._kg

    @property
    def model(self):
        return self.kg.model


class CliError(click.ClickException):
    """A RadGraphError shown as one line, with the exit code its class carries."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def handle_errors(func):
    """Turn library errors into one-line messages and documented exit codes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NotConformingError as exc:
            for line in exc.violations:
                click.echo(line)
            raise CliError(str(exc), exc.exit_code) from None
        except RadGraphError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        except BrokenPipeError:  # e.g. `radgraph roles | head -1`
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radgraph")
@click.option(
    "--data",
    multiple=True,
    type=click.Path(),
    metavar="PATH",
    help="Merge your own Turtle file or folder of .ttl files (repeatable); validated at load.",
)
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...]) -> None:
    """radgraph: radiology careers and credentials as a knowledge graph.

    \b
    Examples:
      radgraph roles
      radgraph show "Radiologic Technologist"
      radgraph path "Radiology Assistant" "Interventional Radiology Technologist"
      radgraph --data my-roles.ttl validate
    """
    ctx.obj = State(data)


@cli.command()
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def roles(state: State, format_: str) -> None:
    """List the roles in the graph, with the other names each goes by.

    \b
    Examples:
      radgraph roles
      radgraph roles --format json
    """
    from .describe import format_roles, role_summary

    items = sorted(state.model.roles.values(), key=lambda r: r.label)
    if format_ == "json":
        emit_json([role_summary(r) for r in items])
    else:
        click.echo(format_roles(items))


@cli.command()
@click.argument("role")
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def show(state: State, role: str, format_: str) -> None:
    """Show what ROLE requires and maintains, who issues it, its duties and sources.

    ROLE is a label, another name (e.g. "RT"), or an IRI; case and
    punctuation do not matter.

    \b
    Examples:
      radgraph show "Radiologic Technologist"
      radgraph show rt --format json
    """
    from .describe import format_role, role_detail

    found = state.model.find_role(role)
    if format_ == "json":
        emit_json(role_detail(state.model, found))
    else:
        click.echo(format_role(state.model, found))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.pass_obj
@handle_errors
def validate(state: State, files: tuple[str, ...]) -> None:
    """Check data against the SHACL shapes; exit 3 if it does not conform.

    With no FILE, checks the shipped graph (plus any --data). Each FILE is
    checked merged with the shipped graph, so it may use its roles and
    credentials. One line per violation: NODE PROPERTY: message.

    \b
    Examples:
      radgraph validate
      radgraph validate my-roles.ttl
    """
    from .kg import load

    load([*state.data, *files], validate=True)
    click.echo("conforms")


@cli.command()
@click.argument("from_role", metavar="FROM")
@click.argument("to_role", metavar="TO")
@click.option("--have", multiple=True, metavar="CRED",
              help="A credential you already hold (label or IRI; repeatable).")
@click.option("--alternatives", type=click.IntRange(1, 50), default=1, show_default=True,
              help="How many distinct paths to show, cheapest first.")
@click.option("--optimize", type=click.Choice(["months", "steps"]), default="months", show_default=True,
              help="Rank by total months, or by number of role changes.")
@click.option("--format", "format_", type=click.Choice(["text", "json", "mermaid", "dot"]),
              default="text", show_default=True)
@click.pass_obj
@handle_errors
def path(state: State, from_role: str, to_role: str, have: tuple[str, ...], alternatives: int,
         optimize: str, format_: str) -> None:
    """The cheapest progression from role FROM to role TO, step by step.

    Each step lists what to earn (and who issues it), experience to accrue,
    anything that must come from outside the graph, how long it takes, and
    the source passage behind each item. FROM may be "none" (no role yet).

    \b
    Examples:
      radgraph path "Radiology Assistant" "Interventional Radiology Technologist"
      radgraph path none "Radiologic Technologist" --have "High School Diploma"
      radgraph path "Radiology Assistant" "Interventional technologist" --alternatives 3
      radgraph path "Radiology Assistant" rt --format json | jq '.paths[0].months'
    """
    from .describe import format_plan, plan_dict, plan_dot, plan_mermaid
    from .planner import Planner

    planner = Planner(state.model)
    paths = planner.plan(from_role, to_role, have=have, alternatives=alternatives, optimize=optimize)
    model = state.model
    if format_ == "json":
        emit_json(plan_dict(model, paths[0].roles[0], paths[0].roles[-1], paths))
    elif format_ == "mermaid":
        click.echo(plan_mermaid(model, paths))
    elif format_ == "dot":
        click.echo(plan_dot(model, paths))
    else:
        click.echo(format_plan(model, paths))


@cli.command(name="next")
@click.argument("role")
@click.option("--have", multiple=True, metavar="CRED", help="A credential you already hold (repeatable).")
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def next_(state: State, role: str, have: tuple[str, ...], format_: str) -> None:
    """The roles reachable from ROLE in one step, and what each needs.

    ROLE may be "none" (no role yet).

    \b
    Examples:
      radgraph next "Radiologic Technologist"
      radgraph next none --format json
    """
    from .describe import format_next, next_dict
    from .planner import Planner

    planner = Planner(state.model)
    steps = planner.next_roles(role, have=have)
    start = planner._resolve(role, allow_none=True)
    if format_ == "json":
        emit_json(next_dict(state.model, start, steps))
    else:
        click.echo(format_next(state.model, start, steps))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="radgraph")
