"""The ``radgraph`` command line: click only, a thin shell over the library.

This is the only module that prints or exits. Data goes to stdout,
diagnostics to stderr. Exit codes: 0 done, 1 the work failed, 2 bad usage
or unknown name, 3 data does not conform.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import logging
import os
import re
import sys

import click

from . import __version__
from .errors import NotConformingError, RadGraphError

FORMATS_TEXT_JSON = click.Choice(["text", "json"])


class FilePath(click.Path):
    """``click.Path`` that refuses, as bad usage, a name holding a NUL or a character the file system cannot
    encode (a lone surrogate): ``os.stat`` raises ValueError for them, which click lets through as a
    traceback. No shell can pass either, but a program calling ``cli`` can."""

    def convert(self, value, param, ctx):
        if "\x00" in str(value):
            self.fail(f"{value!r} holds a NUL character, which no file name can", param, ctx)
        try:
            os.fsencode(value)
        except UnicodeEncodeError:
            self.fail(f"{value!r} holds a character no file name here can", param, ctx)
        return super().convert(value, param, ctx)


class State:
    """Global options, turned into one object in ``ctx.obj``; loads the graph once, lazily."""

    #: What error messages call the Turtle read from standard input (``--data -``, ``validate -``).
    STDIN_NAME = "<stdin>"

    def __init__(self, data: tuple[str, ...], source: str = "all", validate: bool = True):
        self.data = data
        self.source = source
        self.validate = validate
        self._kg = None
        self._model = None
        self.stdin_file: str | None = None

    def files(self, paths: tuple[str, ...]) -> list[str]:
        """``paths`` with ``-`` replaced by a private copy of standard input (read once, at most the size
        limit plus one byte, so the limit's own check refuses more)."""
        if "-" not in paths:
            return list(paths)
        from .errors import UsageError

        if self.stdin_file is not None or paths.count("-") > 1:
            raise UsageError("- (standard input) can be given once")
        self.stdin_file = _read_stdin(trusted=not self.validate)
        return [self.stdin_file if p == "-" else p for p in paths]

    @property
    def kg(self):
        if self._kg is None:
            from .kg import load

            self._kg = load(self.files(self.data), source=self.source, validate=None if self.validate else False)
        return self._kg

    def remote_model(self, endpoint: str, timeout: float):
        """The planner's model fetched from a SPARQL endpoint (``--data`` does not apply there)."""
        if self.data:
            raise click.UsageError("--data merges local files; it cannot be combined with --endpoint")
        from .sparql import fetch_model

        return fetch_model(endpoint, timeout=timeout)

    @property
    def model(self):
        """The model alone: from the compiled cache when it is current (no rdflib, no parse)."""
        if self._kg is not None:
            return self._kg.model
        if self._model is None:
            from .cache import load_model

            data = self.files(self.data)
            self._model = load_model(data, source=self.source, validate=None if self.validate else False,
                                     use_cache=self.stdin_file is None)  # standard input is read once: no entry
        return self._model


def _read_stdin(trusted: bool) -> str:
    """Copy standard input to a file of a private folder, removed when the command ends; its path."""
    import shutil
    import tempfile
    from pathlib import Path

    from .datafiles import MAX_TRUSTED_BYTES, MAX_USER_BYTES

    limit = MAX_TRUSTED_BYTES if trusted else MAX_USER_BYTES
    folder = Path(tempfile.mkdtemp(prefix="radgraph-stdin-"))
    click.get_current_context().call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
    path = folder / "stdin.ttl"
    path.write_bytes(sys.stdin.buffer.read(limit + 1))
    return str(path)


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
                click.echo(one_line(line, limit=None))
            raise CliError(one_line(str(exc)), exc.exit_code) from None
        except RadGraphError as exc:
            raise CliError(one_line(_name_stdin(str(exc))), exc.exit_code) from None
        except BrokenPipeError:  # e.g. `radgraph roles | head -1`
            sys.stderr.close()
            sys.exit(0)

    return wrapper


def _name_stdin(message: str) -> str:
    """The message with the private copy of standard input called ``<stdin>``, as the user knows it."""
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(State) if ctx is not None else None
    if state is None or state.stdin_file is None:
        return message
    return message.replace(state.stdin_file, State.STDIN_NAME)


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


def one_line(message: str, limit: int | None = 400) -> str:
    r"""A message as one printable line: line breaks and other control
    characters (a file name or a value may hold them) escaped, and the middle
    of a message longer than ``limit`` cut (a value may be 100,000 characters).

    >>> one_line("a\nb.ttl: no such file or folder")
    'a\\nb.ttl: no such file or folder'
    >>> len(one_line("no query named '" + "a" * 100_000 + "'. Run 'radgraph query --list'"))
    400
    """
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)
    if limit is not None and len(text) > limit:
        head = limit * 2 // 3
        text = text[:head] + " ... " + text[len(text) - (limit - head - 5):]
    return text


#: What a terminal would run rather than show: C0 controls but tab and newline, DEL, C1 controls (CSI,
#: OSC, ...), and the bidirectional overrides and isolates that reorder what the line shows.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    r"""``text`` with every character a terminal would run written as an escape (``\x1b``, ``\u202e``).

    >>> terminal_safe("Evil\x1b[2J\rrole\tand\nmore")
    'Evil\\x1b[2J\\rrole\tand\nmore'
    """
    return _TERMINAL_UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def echo_text(text: str, nl: bool = True) -> None:
    """Print text for people (tables, plans, descriptions): escaped always, to a terminal, a pipe or a
    file alike. Text read from ``--data`` cannot hold control characters (refused at load), but an
    answer from a server can."""
    click.echo(terminal_safe(text), nl=nl, color=True)


def echo_data(data: str | bytes, nl: bool = True) -> None:
    """Print a file format (Turtle, CSV, JSON, DOT, ...) as it is: the same bytes as ``-o`` writes
    (``color=True``: click would strip escape sequences from what goes to a pipe). To a terminal,
    text is escaped as :func:`echo_text` does, since a terminal runs what a file only holds."""
    if isinstance(data, str) and _stdout_isatty():
        data = terminal_safe(data)
    click.echo(data, nl=nl, color=True)


def _stdout_isatty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def emit_json(obj) -> None:
    """Print ``obj`` as JSON: never NaN or Infinity, which are not JSON (the reader refuses the data
    that could make them; this is the last guard)."""
    try:
        text = json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise CliError(f"cannot write the answer as JSON: {exc}", 1) from None
    echo_data(text)


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
        echo_text(format_roles(items))


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
        echo_text(format_role(state.model, found))


@cli.command()
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
    from .errors import UsageError
    from .kg import validate_files

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


class Seconds(click.FloatRange):
    """Seconds to wait: more than 0 and at most a day. NaN is refused too: FloatRange lets it through
    (every comparison with NaN is false), and the socket then raises ValueError with a traceback."""

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True, max=86400)

    def convert(self, value, param, ctx):
        seconds = super().convert(value, param, ctx)
        if seconds != seconds:  # NaN
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


TIMEOUT = Seconds()


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
    from .planner import Planner
    from .rules import parse_date

    return Planner(model, as_of=parse_date(as_of))


def _worked(worked) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, months in worked:
        out[role] = out.get(role, 0.0) + months
    return out


@cli.command()
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
@click.option("--endpoint", metavar="URL", help="Plan on the graph held by this SPARQL 1.1 endpoint (its query URL).")
@click.option("--timeout", type=TIMEOUT, default=30.0, show_default=True,
              help="Seconds to wait for the endpoint (at most a day).")
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
    from .report import format_plan, plan_dict, plan_dot, plan_mermaid

    model = state.remote_model(endpoint, timeout) if endpoint else state.model
    planner = _planner(model, as_of)
    paths = planner.plan(from_role, to_role, have=have, alternatives=alternatives, optimize=optimize,
                         worked=_worked(worked), held_roles=held_roles)
    if format_ == "json":
        emit_json(plan_dict(planner, paths[0].roles[0], paths[0].roles[-1], paths))
    elif format_ == "mermaid":
        echo_data(plan_mermaid(planner, paths))
    elif format_ == "dot":
        echo_data(plan_dot(planner, paths))
    else:
        echo_text(format_plan(planner, paths, explain=explain))


@cli.command(name="next")
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
    from .report import format_next, next_dict

    planner = _planner(state.model, as_of)
    steps = planner.next_roles(role, have=have, worked=_worked(worked), held_roles=held_roles)
    start = planner._resolve(role, allow_none=True)
    if format_ == "json":
        emit_json(next_dict(planner, start, steps))
    else:
        echo_text(format_next(planner, start, steps))


# ---- export: files and pictures ----

#: radgraph.export.FORMATS, written out so that `radgraph --help` need not
#: import rdflib; tests/test_export.py keeps the two equal.
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "ctdl", "graphml", "gexf", "cyjs", "dot", "svg", "png", "pdf", "mermaid", "html")


@cli.command()
@click.option("--format", "format_", type=click.Choice(EXPORT_FORMATS), default=None,
              help="ttl, nt, jsonld: the RDF graph. ctdl: its data as CTDL JSON-LD. graphml, gexf, cyjs, dot, mermaid: a view as a graph file. "
                   "svg, png, pdf: drawn by Graphviz. html: one offline page to explore. "
                   "Default: from -o FILE's extension (.ttl, .nt, .jsonld, .ctdl.jsonld, .graphml, .gexf, .cyjs, .dot, .svg, "
                   ".png, .pdf, .mmd, .html).")
@click.option("-o", "--output", type=click.Path(), metavar="FILE",
              help="Write to FILE (all or nothing: a failed export leaves FILE as it was). Default: stdout.")
@click.option("--roles-only", is_flag=True, help="The career ladder: roles, and which role can follow which.")
@click.option("--around", metavar="ROLE", help="Only what lies within --depth links of ROLE.")
@click.option("--depth", type=click.IntRange(min=0), metavar="N", help="With --around: how many links away (default 1).")
@click.option("--path", "path_", nargs=2, metavar="FROM TO", help="The ladder with the best path from FROM to TO marked.")
@click.option("--have", multiple=True, metavar="CRED",
              help="With --roles-only or --path: a credential you already hold (repeatable).")
@click.option("--all-steps", is_flag=True,
              help="With --roles-only or --path: every possible step, not only those that help (see README).")
@click.option("--steps-down", is_flag=True,
              help="With --roles-only or --path: draw steps down (to a role quicker to enter) and moves that ask "
                   "for nothing new too.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True, max=86400), default=120, show_default=True,
              metavar="SECONDS", help="How long Graphviz may take to lay out a picture before the export gives up.")
@click.pass_obj
@handle_errors
def export(state: State, format_: str, output, roles_only: bool, around, depth, path_, have, all_steps: bool,
           steps_down: bool, timeout: float) -> None:
    """Export the graph, or a view of it: RDF, graph files, pictures, an HTML page.

    With no view option, the whole graph: roles, credentials, organizations
    and requirement nodes, linked by requires, member, credential, issuedBy,
    ... The RDF formats (ttl, nt, jsonld) always hold every triple.

    Without --format, the format is the one -o FILE's extension names.
    png and pdf are refused on a terminal: give -o FILE or redirect stdout.

    \b
    Examples:
      radgraph export -o radgraph.ttl
      radgraph export --format jsonld | jq '."@graph" | length'
      radgraph export --roles-only -o docs/ladder.svg
      radgraph export --roles-only -o ladder.html
      radgraph export --path none "Interventional Radiology Technologist" -o path.png
      radgraph export --around "Radiologic Technologist" --depth 2 -o rt.graphml
      radgraph export --roles-only --format mermaid

    On a terminal, an export that takes more than a second says on stderr
    what it is doing.
    """
    from . import export as exporter
    from .errors import UsageError

    if format_ is None:
        if output is None:
            raise UsageError("give --format, or -o FILE whose extension names the format (e.g. -o ladder.svg)")
        format_ = exporter.format_for(output)
    view = dict(roles_only=roles_only, around=around, depth=depth, path=tuple(path_) if path_ else None,
                have=have, all_steps=all_steps, steps_down=steps_down)
    exporter.check_options(format_, **view)
    if output is not None:
        exporter.check_output(output)
    elif format_ in exporter.BINARY_FORMATS and sys.stdout.isatty():
        raise UsageError(f"{format_} is binary: give -o FILE, or redirect stdout to a file")
    with Progress(sys.stderr) as progress:
        progress("loading the graph")
        # the planner's views need the model only: from the compiled cache, as `radgraph path` has it
        kg = _ModelOnly(state.model) if roles_only or path_ else state.kg
        content = exporter.generate(kg, format_, **view, timeout=timeout, progress=progress)
        if output is not None:
            progress(f"writing {output}")
            exporter.write_atomic(output, content)
    if output is not None:
        return
    if isinstance(content, bytes):
        echo_data(content, nl=False)  # click writes bytes to stdout's binary buffer
    else:
        echo_data(content, nl=not content.endswith("\n"))


class _ModelOnly:
    """What the export of a planner's view reads of a loaded graph: its model."""

    def __init__(self, model):
        self.model = model


class Progress:
    """A one-line progress report on ``stream`` for work that takes more than ``delay`` seconds.

    Only on a terminal: call it with the stage that starts (a few words); a
    thread redraws ``radgraph: <stage>... 3 s`` twice a second once the work
    has run ``delay`` seconds, and the line is cleared at the end. Pipes and
    files get nothing.
    """

    def __init__(self, stream, delay: float = 1.0):
        import threading

        self.stream, self.delay = stream, delay
        self.active = bool(getattr(stream, "isatty", lambda: False)())
        self.stage, self.shown = "working", False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def __enter__(self) -> Progress:
        import time

        self.started = time.monotonic()
        if self.active:
            self._thread.start()
        return self

    def _run(self) -> None:
        import time

        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            line = f"radgraph: {self.stage}... {time.monotonic() - self.started:.0f} s"
            self.stream.write("\r" + line[:79].ljust(79))
            self.stream.flush()
            self.shown = True
            self._stop.wait(0.5)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self.active:
            self._thread.join()
        if self.shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


# ---- SPARQL: query, push ----

QUERY_FORMATS = click.Choice(["table", "csv", "tsv", "json", "ttl", "nt", "jsonld"])




def parse_param_options(values: tuple[str, ...]) -> dict[str, str]:
    """``("role=role:radiologist", ...)`` -> ``{"role": "role:radiologist"}``; bad ones exit 2."""
    from .errors import UsageError

    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {value!r}")
        if name in params:
            raise UsageError(f"--param {name!r} is given twice")
        params[name] = text
    return params


@cli.command()
@click.argument("query_name", metavar="[NAME|FILE.rq]", required=False)
@click.option("-e", "--expression", metavar="SPARQL",
              help="Run this query text; the radgraph prefixes (rg:, role:, cred:, ...) are declared for it.")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries, their parameters and defaults.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable). VALUE: role:radiologist, <https://...>, \"text\", 12, or plain text.")
@click.option("--format", "format_", type=QUERY_FORMATS, default=None,
              help="SELECT: table (default), or the W3C SPARQL results csv, tsv or json. "
                   "CONSTRUCT, DESCRIBE: ttl (default), nt or jsonld.")
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 query URL instead of the embedded graph.")
@click.option("--timeout", type=TIMEOUT, default=None, metavar="SECONDS",
              help="With --endpoint: give up after SECONDS of waiting for it (default 30).")
@click.pass_context
@handle_errors
def query(ctx: click.Context, query_name, expression, list_, params, format_, endpoint, timeout) -> None:
    """Ask the graph a SPARQL question: a shipped one by NAME, a FILE.rq, or -e TEXT.

    Runs on the embedded graph (the shipped one plus any --data), or on a
    SPARQL endpoint with --endpoint. Updates (INSERT, DELETE, DROP, ...) are
    refused. An ASK query prints true or false and exits 0 or 1.

    \b
    Examples:
      radgraph query --list
      radgraph query roles-requiring-credential --param credential=cred:ged
      radgraph query requirement-tree -p role=role:radiologist --format csv
      radgraph query -e 'SELECT ?role WHERE { ?role a rg:Role } ORDER BY ?role'
      radgraph query construct-schema-org --format jsonld
      radgraph query entry-level-roles --endpoint http://127.0.0.1:7878/query
    """
    from . import sparql
    from .errors import UsageError

    state: State = ctx.obj
    given = [x for x in (query_name and "NAME", expression is not None and "-e", list_ and "--list") if x]
    if len(given) != 1:
        raise UsageError("give one of NAME|FILE.rq, -e SPARQL or --list" + (f" (got {', '.join(given)})" if given else ""))
    if list_ and (params or endpoint or timeout):
        raise UsageError("--list takes no --param, --endpoint or --timeout")
    if list_ and format_ in sparql.GRAPH_FORMATS:
        raise UsageError(f"--list prints table, csv, tsv or json, not {format_}")
    if timeout is not None and not endpoint:
        raise UsageError("--timeout applies to --endpoint only")
    if endpoint and state.data:
        raise UsageError("--data merges files into the embedded graph; with --endpoint the endpoint's data is asked")
    if list_:
        echo_text(format_query_list(sparql.list_queries(), format_ or "table"))
        return
    bindings = parse_param_options(params)
    if expression is not None:
        q = sparql.parse_query(expression, name="-e", prefixes=True)
    else:
        q = sparql.load_query(query_name)
    if format_ is not None:
        sparql.check_format(q.form, format_)  # before any work
    sparql.bind_params(q, bindings)  # check names and values before any work
    if endpoint:
        sparql.check_url(endpoint)
        result = sparql.run_remote(endpoint, q, bindings,
                                   timeout=timeout if timeout is not None else sparql.DEFAULT_TIMEOUT)
    else:
        result = sparql.run_query(state.kg.graph, q, bindings)
    text = sparql.format_result(result, format_ or "table")
    (echo_text if (format_ or "table") == "table" and result.graph is None else echo_data)(
        text, nl=not text.endswith("\n"))
    if result.form == "ASK":
        ctx.exit(0 if result.boolean else 1)


def format_query_list(queries, format_: str) -> str:
    """``radgraph query --list``: name, kind, parameters (with defaults) and summary of each query."""
    rows = [
        {
            "name": q.name,
            "kind": q.kind,
            "params": [{"name": p.name, "default": p.default_text, "description": p.description} for p in q.params],
            "summary": q.summary,
        }
        for q in queries
    ]
    if format_ == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    flat = [[r["name"], r["kind"], ", ".join(f"{p['name']}={p['default']}" for p in r["params"]), r["summary"]]
            for r in rows]
    header = ["name", "kind", "params", "summary"]
    if format_ in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if format_ == "csv" else "\t", lineterminator="\n")
        writer.writerows([header, *flat])
        return out.getvalue().rstrip("\n")
    widths = [max(len(r[i]) for r in [header, *flat]) for i in range(3)]
    return "\n".join(
        "  ".join([*(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)), r[3]]).rstrip()
        for r in [header, ["-" * w for w in widths] + ["-" * 7], *flat]
    )


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query URL, e.g. http://127.0.0.1:7878/query (Oxigraph).")
@click.option("--store", metavar="URL",
              help="Its Graph Store Protocol URL; default: the endpoint's .../query as .../store (Oxigraph).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Replace this named graph instead of the default graph.")
@click.option("--timeout", type=TIMEOUT, default=None, metavar="SECONDS",
              help="Give up after SECONDS of waiting for the store (default 30).")
@click.pass_obj
@handle_errors
def push(state: State, endpoint: str, store, graph_iri, timeout) -> None:
    """Replace a graph of a SPARQL store with radgraph's (shipped plus any --data).

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: a PUT of Turtle to the
    store URL, so pushing twice leaves the same store.

    \b
    Examples:
      radgraph push --endpoint http://127.0.0.1:7878/query
      radgraph push --endpoint http://localhost:3030/ds/sparql --store http://localhost:3030/ds/data
      radgraph --data my-roles.ttl push --endpoint http://127.0.0.1:7878/query --graph https://example.org/g
    """
    from . import sparql

    sparql.check_url(endpoint)
    if store is None:
        sparql.store_url(endpoint)  # fails early if it cannot be told
    graph = state.kg.graph
    url = sparql.push(graph, endpoint, graph_iri, store=store,
                      timeout=timeout if timeout is not None else sparql.DEFAULT_TIMEOUT)
    where = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    echo_text(f"pushed {len(graph)} triples to {where} at {url}")


class Interrupted(BaseException):
    """Ctrl-C: raised from the SIGINT handler. Not a KeyboardInterrupt, which click turns into
    "Aborted!" and exit 1; a BaseException, so no ``except Exception`` swallows it, and every
    ``finally`` (a temporary file's removal) still runs on the way out."""


def _interrupted(signum, frame) -> None:
    raise Interrupted


# ---- ctdl-check: what the Registry would ask for ----


@cli.command("ctdl-check")
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def ctdl_check(state: State, format_: str) -> None:
    """List what `export --format ctdl` cannot say in CTDL: required properties of the
    Credential Engine Registry's minimum data that no source gives ("missing": never filled
    in), and parts of requirement trees CTDL cannot express ("gap": kept in radgraph's terms).

    Each finding: NODE, then CLASS missing|gap: DETAIL.

    \b
    Examples:
      radgraph ctdl-check
      radgraph ctdl-check --format json | jq 'map(select(.kind == "gap"))'
    """
    from dataclasses import asdict

    from .export import ctdl_findings
    from .namespaces import shorten

    found = ctdl_findings(state.kg.graph)
    if format_ == "json":
        emit_json([asdict(f) for f in found])
    else:
        import textwrap

        for f in found:
            click.echo(shorten(f.node))
            click.echo(textwrap.fill(f"{f.cls} {f.kind}: {f.detail}", 80, initial_indent="  ",
                                     subsequent_indent="    "))


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
