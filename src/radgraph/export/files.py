"""Writing files: all at once, or not at all (a temporary file beside the target, then a rename)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import RadGraphError, UsageError


def check_output(output: str | os.PathLike) -> Path:
    """Check, before any work, that ``output`` can be a file: its folder exists, and it is
    not a folder, nor anything else that is not a regular file.

    A device (``/dev/null``, a disk), a FIFO or a socket is refused, not replaced:
    the rename that makes a write all-or-nothing would put a regular file in its
    place (as root, ``-o /dev/null`` would destroy the device). Redirect stdout
    to write there.

    Raises
    ------
    UsageError
        The folder is missing, or ``output`` is a folder or not a regular file.
    """
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if target.is_dir():
            raise UsageError(f"{target}: is a folder; give a file name")
        if not folder.is_dir():
            raise UsageError(f"{target}: no such folder: {folder}")
        try:
            mode = target.stat().st_mode  # follows a link: a link to a device is refused too
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            raise UsageError(f"{target}: not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'a special file')}), "
                             "which -o would replace; give a file name, or write to stdout and redirect it")
    except OSError as exc:  # a name the file system refuses: too long, ...
        raise UsageError(f"{target}: {exc.strerror or exc}") from None
    return target


_KINDS = {stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket"}


def write_atomic(output: str | os.PathLike, content: str | bytes) -> Path:
    """Write ``content`` to ``output`` all at once: a temporary file in the same folder, then a rename.

    On any failure the temporary file is removed and an existing ``output``
    is left as it was. A new file gets the usual permissions (0666 less the
    umask); a replaced file keeps its own.

    Raises
    ------
    UsageError
        The folder is missing, or ``output`` is a folder (exit 2).
    RadGraphError
        The file cannot be written: no permission, a read-only folder, a full disk (exit 1).
    """
    target = check_output(output)
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise RadGraphError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target
