"""The warm kernel each worker keeps between notebooks (docs/architecture.md: the runner).

Starting a kernel and importing pandas, matplotlib and DuckDB into it costs more than most
reports, so a worker process keeps one: before each notebook its namespace is reset, after
a failure or every KERNEL_RUNS notebooks it is replaced by a fresh one. Kernels talk over
IPC sockets in a folder of their own, so parallel workers can neither race for a port nor
share a socket. Imported only where notebooks run (jupyter_client is not free to import).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets.config import Config

KERNEL = "rapport"
KERNEL_RUNS = 25  # notebooks per kernel before a fresh one (bounds what a long agency run accumulates)


def use_project_kernel() -> None:
    """Make the venv's own kernelspec win over any user-level one, registering it if missing."""
    share = Path(sys.prefix) / "share" / "jupyter"
    current = os.environ.get("JUPYTER_PATH", "")
    if not current.startswith(str(share)):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(share), current) if p)
    if not (share / "kernels" / KERNEL / "kernel.json").is_file():
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL, display_name="Python (rapport)", prefix=sys.prefix)


def kernel_config(socket_dir: str) -> Config:
    """IPC sockets in a folder of this run's own instead of TCP ports (the IPC default,
    ./kernel-ipc-N, would be shared by parallel kernels)."""
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(socket_dir, "kernel")}})


class WarmKernelManager(AsyncKernelManager):
    """Remembers the clients it hands out: nbclient leaves its client connected to a kernel
    it does not own (a heartbeat thread and sockets per notebook), so the runner closes them
    after each notebook."""

    def client(self, **kwargs):
        client = super().client(**kwargs)
        self.__dict__.setdefault("_handed_out", []).append(client)
        return client

    def close_clients(self) -> None:
        for client in self.__dict__.pop("_handed_out", []):
            if client.channels_running:
                client.stop_channels()


class WarmKernel:
    """This process's kernel: started on first use in a working directory, reset before each
    notebook, replaced when it died, failed, moved folder or ran KERNEL_RUNS notebooks."""

    def __init__(self) -> None:
        self.manager: WarmKernelManager | None = None
        self.cwd: Path | None = None
        self.sockets: str | None = None
        self.runs = 0

    def for_notebook(self, cwd: Path) -> WarmKernelManager:
        """The kernel to run the next notebook in `cwd`, with a clean namespace."""
        if self.manager and (self.cwd != cwd or self.runs >= KERNEL_RUNS or not run_sync(self.manager.is_alive)()):
            self.stop()
        if self.manager is None:
            self._start(cwd)
        elif not self.execute(RESET):
            self.stop()
            return self.for_notebook(cwd)
        self.runs += 1
        assert self.manager is not None
        return self.manager

    def _start(self, cwd: Path) -> None:
        # short (a socket path has ~100 bytes at most), and named by this process so the next run
        # can sweep what a killed one left (rapport.files.sweep)
        self.sockets = tempfile.mkdtemp(prefix=f"rapport-{os.getpid()}-")
        self.manager = WarmKernelManager(kernel_name=KERNEL, config=kernel_config(self.sockets))
        # no IPython history: kernels that run one after another (or beside an analyst's) share
        # its SQLite file, and a clash prints "ERROR! Session/line number was not unique" on stdout
        run_sync(self.manager.start_kernel)(cwd=str(cwd), extra_arguments=["--HistoryManager.enabled=False"])
        self.cwd, self.runs = cwd, 0

    def execute(self, code: str) -> bool:
        """Run `code` in the kernel, outside any notebook; whether it went well."""
        return self.manager is not None and run_sync(_execute)(self.manager, code)

    def after_notebook(self) -> None:
        if self.manager:
            self.manager.close_clients()

    def stop(self) -> None:
        """Shut the kernel down (after a failure, and when the process ends)."""
        if self.manager is None:
            return
        try:
            run_sync(self.manager.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already gone is fine
            pass
        if self.sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)
        self.manager, self.cwd, self.sockets, self.runs = None, None, None, 0


# Forget the previous notebook: its variables, its history and its cell numbers.
RESET = "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1"


async def _execute(km: AsyncKernelManager, code: str) -> bool:
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive(
            code, store_history=False, timeout=60, output_hook=lambda message: None
        )
        return reply["content"]["status"] == "ok"
    except Exception:  # noqa: BLE001 - a kernel that cannot do this is replaced
        return False
    finally:
        client.stop_channels()


_THREAD = threading.local()
_STARTED: list[WarmKernel] = []


def warm_kernel() -> WarmKernel:
    """The warm kernel of this thread: a pool's worker process has one thread that runs
    notebooks, a Dask worker one per thread it was started with."""
    if not hasattr(_THREAD, "kernel"):
        _THREAD.kernel = WarmKernel()
        _STARTED.append(_THREAD.kernel)
    return _THREAD.kernel


@atexit.register  # a worker (or a test process) never leaves its kernels behind
def stop_all() -> None:
    for kernel in _STARTED:
        kernel.stop()
