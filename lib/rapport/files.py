"""Writing files so that readers never see half of one (write a temp file, then rename), and
sweeping what a killed process left behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def sweep(folder: Path, prefix: str) -> None:
    """Remove the `prefix<pid>-…` files and folders whose process is gone: what a killed run
    left behind (staging folders, kernel sockets, a warehouse being created)."""
    for stale in Path(folder).glob(f"{prefix}*"):
        owner = stale.name[len(prefix) :].split("-", 1)[0]
        if not owner.isdigit() or alive(int(owner)):
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
