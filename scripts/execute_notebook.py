"""Execute one notebook headless with the project's kernel (Jupyter's own nbclient).

usage: execute_notebook.py NOTEBOOK [--output PATH] [--inject SOURCE]

Writes the executed notebook to PATH (default: in place) only when every cell succeeded, via a
temporary file and a rename. No execution times are recorded (a rebuild from the same results
gives the same bytes). --inject puts a code cell holding SOURCE, tagged `injected-parameters`,
right after the cell tagged `parameters` (papermill's convention). On the first failing cell it stops and prints which cell failed and
what the kernel said: tslab reports errors on the cell's stderr with an empty error value, which
`jupyter nbconvert` would reduce to "<Error>:".
"""
import atexit
import json
import os
import signal
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

KERNEL = "mnist-report"
# The runner's own temporary files, the kernel's connection file among them (jupyter_client makes it
# with tempfile), go into the folder `npm run report` removes when it ends, however it ends.
if os.environ.get("REPORT_RUNTIME_DIR"):
    tempfile.tempdir = os.environ["REPORT_RUNTIME_DIR"]
# Long enough for the timers a last cell leaves behind to fire; then the errors caught after their cell returned, as JSON.
LATE_CHECK = "await new Promise((r) => setTimeout(r, 500));\nconsole.log(JSON.stringify((globalThis as any).__lateErrors ?? []));"


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]))
    return "".join(parts).strip()


def report(src, nb, i, what):
    """One line saying which cell failed and how, then the cell and what the kernel printed."""
    cell = nb.cells[i] if 0 <= i < len(nb.cells) else None
    print(f"{src}: cell {i + 1} failed: {what}." if cell is not None else f"{src}: {what}.", file=sys.stderr)
    if cell is not None:
        print("---- cell source ----\n" + "".join(cell.source).strip(), file=sys.stderr)
        print("---- kernel output ----\n" + (cell_text(cell) or "(none)"), file=sys.stderr)
    return 1


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src = argv[0]
    dst = argv[argv.index("--output") + 1] if "--output" in argv else src
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    if "--inject" in argv:
        at = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None)
        if at is None:
            print(f"{src} has no cell tagged 'parameters' to inject after.", file=sys.stderr)
            return 2
        cell = nbformat.v4.new_code_cell(argv[argv.index("--inject") + 1], metadata={"tags": ["injected-parameters"]})
        cell.id = "injected-parameters"
        nb.cells.insert(at + 1, cell)
    out_dir = os.path.dirname(os.path.abspath(dst))
    try:  # where the result goes is checked before anything runs
        os.makedirs(out_dir, exist_ok=True)
        tempfile.TemporaryFile(dir=out_dir).close()
    except FileExistsError:
        print(f"cannot write {dst}: a part of its path is a file, not a folder.", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"cannot write {dst}: {(e.strerror or str(e)).lower()}.", file=sys.stderr)
        return 2
    failed = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed["index"] = cell_index

    def executing():
        """The code cell that was running (the first without an execution count), for a dead kernel."""
        return next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count") is None), -1)

    ready = []  # the kernel answered (nbclient's on_notebook_start: before any cell runs)

    def on_ready(notebook):
        ready.append(True)

    # A kernel that does not come up is started again (twice at most): tslab's zeromq sockets have
    # failed to bind now and then ("Socket is blocked by a bind or unbind operation", seen once in
    # dozens of runs), which leaves a kernel that never answers. Nothing has run then, so a fresh
    # kernel changes no output.
    # A last cell, run and then removed (it leaves no output and no execution count behind): it lets
    # timers and callbacks of the last cells fire, then prints every error the kernel caught after
    # its cell returned (jupyter/kernels/mnist-report/launch.js keeps them).
    nb.cells.append(nbformat.v4.new_code_cell(LATE_CHECK))
    for attempt in range(3):
        client = NotebookClient(
            nb, kernel_name=KERNEL, timeout=None, startup_timeout=60, record_timing=False,
            resources={"metadata": {"path": os.getcwd()}}, on_cell_error=on_cell_error, on_notebook_start=on_ready,
        )
        try:
            client.execute()
            break
        except CellExecutionError:
            return report(src, nb, failed.get("index", -1), "the kernel reported an error")
        except (DeadKernelError, RuntimeError) as e:
            if not isinstance(e, DeadKernelError) and not any(k in str(e) for k in ("didn't respond", "died before replying")):
                raise
            atexit.unregister(client._cleanup_kernel)  # nbclient has stopped that kernel already
            if ready:
                return report(src, nb, executing(), "the kernel died while running it (the process exited)")
            if attempt == 2:
                return report(src, nb, -1, f"the kernel did not start three times ({e})")
            print(f"{src}: the kernel did not start ({e}); starting another.", file=sys.stderr)
    check = nb.cells.pop()
    # tslab reports an exception thrown after its cell returned (a timer, a callback) on the stderr
    # of whichever cell runs next, and carries on: that is a failure too.
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr" and "UncaughtException:" in "".join(out.get("text", "")):
                return report(src, nb, i, "an exception thrown asynchronously, after an earlier cell returned, surfaced here")
    stdout = "".join(o.get("text", "") for o in check.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout")
    late = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else ["(the kernel did not answer the last check)"]
    if late:
        print(f"{src}: an exception was thrown asynchronously, after its cell returned (a timer, a callback or a rejected promise):\n" + "\n".join(late), file=sys.stderr)
        return 1
    # From here a stop (SIGINT, SIGTERM) unwinds, so that the temporary file goes with it: the
    # notebook is written whole or not at all.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stopped)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".ipynb.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return 0


def stopped(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt as e:
        print(f"stopped ({e or 'SIGINT'}): the notebook was not written.", file=sys.stderr)
        sys.exit(130)
