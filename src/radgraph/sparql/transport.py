"""One HTTP exchange with a SPARQL server, over within a deadline and never read past a size cap.

urllib's timeout bounds each socket wait, not the whole exchange, and it reads an
answer of any size: a server trickling a byte a second, or sending without end,
would hold or fill radgraph for ever. This module adds the deadline and the cap.
Everything a server sends is hostile: reading the answer (``parse``) runs inside
the same deadline, and no redirect is followed (urllib would follow one to
another host or port, and turn the query's POST into a GET without it).
"""

from __future__ import annotations

import http.client
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..errors import RadGraphError
from .library import _one_line

#: Seconds to wait on a remote endpoint: the whole exchange, connecting,
#: sending and reading the answer, however slowly the server trickles it.
DEFAULT_TIMEOUT = 30.0

#: The largest answer read from a remote endpoint: a SPARQL result is parsed
#: into Python objects, about ten bytes of memory for each byte of JSON.
MAX_ANSWER_BYTES = 32 * 2**20


# urllib has a timeout for each socket wait but no deadline for the exchange and no size cap.
def _http(method: str, url: str, body: bytes, headers: dict[str, str], timeout: float,
          parse: Callable[[str, bytes], Any] | None = None) -> Any:
    """One HTTP exchange, over within ``timeout`` seconds; every failure becomes a one-line RadGraphError.

    A socket timeout bounds each wait, not their sum: a server sending a byte
    a second would hold a plain ``urlopen`` for ever. So the exchange runs in a
    worker thread, given up (and told to stop reading) when time is up.
    Returns ``(content_type, data)``, or ``parse(content_type, data)``, which
    runs in the same thread within the same deadline: an answer built to take
    long to read cannot outlast ``timeout`` either.
    """
    outcome: dict[str, Any] = {}
    stop = threading.Event()

    def exchange() -> None:
        try:
            answer = _exchange(method, url, body, headers, timeout, stop)
            outcome["answer"] = parse(*answer) if parse is not None else answer
        except RecursionError:  # a parser walking an answer nested thousands deep
            outcome["error"] = RadGraphError(f"{url} answered with data nested too deeply to read")
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    worker = threading.Thread(target=exchange, name="radgraph-http", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise RadGraphError(f"{url} did not answer within {timeout:g} seconds")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the 3xx answer becomes an HTTPError, reported with where it pointed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


#: urllib's handlers, less redirects (an http(s) URL is all radgraph asks, so no other scheme is reached).
_OPENER = urllib.request.build_opener(_NoRedirect)


def _exchange(method: str, url: str, body: bytes, headers: dict[str, str], timeout: float,
              stop: threading.Event) -> tuple[str, bytes]:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"User-Agent": f"radgraph/{__version__}", **headers})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while not stop.is_set() and (chunk := response.read1(1 << 16)):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise RadGraphError(f"{url} answered with more than {MAX_ANSWER_BYTES >> 20} MB, more than "
                                        "radgraph reads; ask for less (e.g. with LIMIT)")
                chunks.append(chunk)
            data = b"".join(chunks)
            if response.length:  # read1, unlike read, takes a connection closed early as the end
                raise http.client.IncompleteRead(data, response.length)
            content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            return content_type, data
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            detail = _one_line(exc.read(300).decode("utf-8", "replace"))
        except Exception:
            pass
        if 300 <= exc.code < 400:
            where = _one_line(exc.headers.get("Location", "") if exc.headers else "")[:200]
            raise RadGraphError(
                f"{url} answered HTTP {exc.code} {exc.reason}, a redirect" + (f" to {where}" if where else "")
                + ", which radgraph does not follow: give the URL that answers itself"
            ) from None
        raise RadGraphError(
            f"{url} answered HTTP {exc.code} {exc.reason}" + (f": {detail[:200]}" if detail else "")
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise RadGraphError(f"{url} did not answer within {timeout:g} seconds") from None
        if isinstance(reason, ConnectionRefusedError):
            raise RadGraphError(f"cannot reach {url}: connection refused") from None
        raise RadGraphError(f"cannot reach {url}: {_one_line(getattr(reason, 'strerror', None) or reason)}") from None
    except TimeoutError:
        raise RadGraphError(f"{url} did not answer within {timeout:g} seconds") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RadGraphError(f"{url} did not answer with HTTP: {_one_line(exc) or type(exc).__name__}") from None
    except OSError as exc:
        raise RadGraphError(f"cannot reach {url}: {_one_line(exc.strerror or exc)}") from None
