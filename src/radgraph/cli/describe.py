"""roles, show and validate: what the graph holds, and whether data conforms."""

from __future__ import annotations

import click

from ..errors import NotConformingError
from .common import FORMATS_TEXT_JSON, CliError, FilePath, State, echo_text, emit_json, handle_errors


@click.command()
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
    from ..describe import format_roles, role_summary

    items = sorted(state.model.roles.values(), key=lambda r: r.label)
    if format_ == "json":
        emit_json([role_summary(r) for r in items])
    else:
        echo_text(format_roles(items))


@click.command()
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
    from ..describe import format_role, role_detail

    found = state.model.find_role(role)
    if format_ == "json":
        emit_json(role_detail(state.model, found))
    else:
        echo_text(format_role(state.model, found))


@click.command()
@click.argument("files", nargs=-1, type=FilePath())
@click.option("--format", "format_", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True,
              help="text: one line per violation. json: a list of {focus, path, message, severity, shape, value}. "
                   "ttl: the SHACL sh:ValidationReport graph, as pySHACL gives it.")
@click.pass_obj
@handle_errors
def validate(state: State, files: tuple[str, ...], format_: str) -> None:
    """Check data against the SHACL shapes; exit 3 if it does not conform.

    With no FILE, checks the shipped graph (plus any --data). Each FILE is
    checked merged with the shipped graph, so it may use its roles and
    credentials; FILE may be - for standard input. The report goes to
    stdout (text: one line per violation, NODE PROPERTY: message), the
    verdict to stderr.

    \b
    Examples:
      radgraph validate
      radgraph validate my-roles.ttl
      radgraph validate my-roles.ttl --format json | jq '.[].message'
      radgraph validate my-roles.ttl --format ttl > report.ttl
    """
    from ..errors import UsageError
    from ..kg import validate_files

    if not state.validate:
        raise UsageError("validate always checks the data: --no-validate does not apply to it")
    report = validate_files(state.files((*state.data, *files)), source=state.source)
    if format_ == "text":
        if not report.conforms:
            raise NotConformingError(report.lines())
        click.echo("conforms")
        return
    if format_ == "json":
        emit_json([v.as_dict() for v in report.violations])
    else:
        text = report.graph.serialize(format="turtle")
        click.echo(text, nl=not text.endswith("\n"))
    if not report.conforms:
        raise CliError(f"data does not conform: {len(report.violations)} violation(s)", NotConformingError.exit_code)
