"""The ``radgraph`` command line: click only, a thin shell over the library.

This is the only package that prints or exits. Data goes to stdout,
diagnostics to stderr. Exit codes: 0 done, 1 the work failed, 2 bad usage
or unknown name, 3 data does not conform.

Here: the ``radgraph`` group, its global options and :func:`main`, the
console script. Each family of commands has its module: ``describe``
(roles, show, validate), ``plan`` (path, next), ``export`` (export,
ctdl-check) and ``query`` (query, push); ``common`` holds what they share.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sys

import click

from .. import __version__
from . import describe, export, plan, query
from .common import FilePath, State


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radgraph")
@click.option(
    "--data",
    multiple=True,
    type=FilePath(),
    metavar="PATH",
    help="Merge your own Turtle file or folder of .ttl files (repeatable; - reads standard input); "
         "validated at load.",
)
@click.option(
    "--source",
    type=click.Choice(["all", "article"]),
    default="all",
    show_default=True,
    help="Facts to use: the article alone, or the article plus the public pages (ARRT, ABR, O*NET, ...).",
)
@click.option(
    "--no-validate",
    "no_validate",
    is_flag=True,
    help="Skip the SHACL check of --data files (large graphs you already validated): "
         "reads up to 64 MB of them instead of 16 MB.",
)
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], source: str, no_validate: bool) -> None:
    """radgraph: radiology careers and credentials as a knowledge graph.

    \b
    Examples:
      radgraph roles
      radgraph show "Radiologic Technologist"
      radgraph path "Radiology Assistant" "Interventional Radiology Technologist"
      radgraph --data my-roles.ttl validate
    """
    quiet_rdflib()
    ctx.obj = State(data, source, validate=not no_validate)


def quiet_rdflib() -> None:
    """Drop rdflib's log records, which Python would print to stderr, some with a
    traceback (an ill-typed literal such as ``"x"^^xsd:integer`` in a user's file
    or an endpoint's answer). The CLI reports problems itself, one line each."""
    logger = logging.getLogger("rdflib")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


# The commands, in the order ``cli.commands`` lists them (``radgraph --help`` sorts them by name).
cli.add_command(describe.roles)
cli.add_command(describe.show)
cli.add_command(describe.validate)
cli.add_command(plan.path)
cli.add_command(plan.next_)
cli.add_command(export.export)
cli.add_command(query.query)
cli.add_command(query.push)
cli.add_command(export.ctdl_check)


class Interrupted(BaseException):
    """Ctrl-C: raised from the SIGINT handler. Not a KeyboardInterrupt, which click turns into
    "Aborted!" and exit 1; a BaseException, so no ``except Exception`` swallows it, and every
    ``finally`` (a temporary file's removal) still runs on the way out."""


def _interrupted(signum, frame) -> None:
    raise Interrupted


#: What writing the answer can fail with, short of a closed pipe (EBADF: stdout was closed, ``>&-``).
_WRITE_ERRORS = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF")
                 if hasattr(errno, name)}


def _closed_stdout() -> None:
    """Started with stdout closed (``radgraph roles >&-``): Python then sets ``sys.stdout`` to None and
    click prints nothing, exit 0. Hold fd 1 with the null device opened for reading (so no file radgraph
    opens takes its place) and write to it: the first answer written fails with EBADF, which ``main``
    reports. A command that writes nothing to stdout (``export -o FILE``) still works."""
    fd = os.open(os.devnull, os.O_RDONLY)
    if fd != 1:
        os.dup2(fd, 1)
        os.close(fd)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - stdout, for the whole run


def _discard_stdout() -> None:
    """Point stdout at the null device, so Python's last flush of what could not be written fails no more."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, io.UnsupportedOperation):  # no real stdout (e.g. click's test runner)
        pass


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    if sys.stdout is None:
        _closed_stdout()
    try:
        cli(prog_name="radgraph")
    except Interrupted:  # exit 128 + SIGINT, as a shell reports a program Ctrl-C stopped
        _discard_stdout()
        click.echo("Error: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # the answer cannot be written: `radgraph roles > /dev/full`, a full disk
        if exc.errno not in _WRITE_ERRORS:
            raise
        _discard_stdout()
        reason = "stdout is closed" if exc.errno == errno.EBADF else exc.strerror
        click.echo(f"Error: cannot write the output: {reason}", err=True)
        sys.exit(1)
