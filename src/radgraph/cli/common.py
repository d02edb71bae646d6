"""What every command shares: the global options' state, the option types, and the way out.

Data goes to stdout (:func:`echo_data`, :func:`emit_json`), text for people escaped
(:func:`echo_text`); a library error becomes one line on stderr and its exit code
(:func:`handle_errors`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys

import click

from ..errors import NotConformingError, RadGraphError

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
        from ..errors import UsageError

        if self.stdin_file is not None or paths.count("-") > 1:
            raise UsageError("- (standard input) can be given once")
        self.stdin_file = _read_stdin(trusted=not self.validate)
        return [self.stdin_file if p == "-" else p for p in paths]

    @property
    def kg(self):
        if self._kg is None:
            from ..cache import load_kg
            from ..kg import load

            data = self.files(self.data)
            how = load if self.stdin_file is not None else load_kg  # standard input is read once: no entry
            self._kg = how(data, source=self.source, validate=None if self.validate else False)
        return self._kg

    def remote_model(self, endpoint: str, timeout: float):
        """The planner's whole model fetched from a SPARQL endpoint (``--data`` does not apply there)."""
        self._check_remote()
        from ..sparql import fetch_model

        return fetch_model(endpoint, timeout=timeout)

    def remote_part(self, endpoint: str, timeout: float, goal: str, **names):
        """What a plan for ``goal`` reads, fetched from a SPARQL endpoint (:func:`radgraph.sparql.fetch_part`)."""
        self._check_remote()
        from ..sparql import fetch_part

        return fetch_part(endpoint, goal, **names, timeout=timeout)

    def remote_evidence(self, endpoint: str, timeout: float, part, paths):
        """``part`` with what ``paths`` show, fetched from the endpoint (:func:`radgraph.sparql.fetch_evidence`)."""
        from ..sparql import fetch_evidence

        return fetch_evidence(endpoint, part, paths, timeout=timeout)

    def _check_remote(self) -> None:
        if self.data:
            raise click.UsageError("--data merges local files; it cannot be combined with --endpoint")

    @property
    def model(self):
        """The model alone: from the compiled cache when it is current (no rdflib, no parse)."""
        if self._kg is not None:
            return self._kg.model
        if self._model is None:
            from ..cache import load_model

            data = self.files(self.data)
            self._model = load_model(data, source=self.source, validate=None if self.validate else False,
                                     use_cache=self.stdin_file is None)  # standard input is read once: no entry
        return self._model


def _read_stdin(trusted: bool) -> str:
    """Copy standard input to a file of a private folder, removed when the command ends; its path."""
    import shutil
    import tempfile
    from pathlib import Path

    from ..datafiles import MAX_TRUSTED_BYTES, MAX_USER_BYTES

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
