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
                click.echo(line, err=True)
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="radgraph")
