"""Execute one notebook headless with the project's kernel (Jupyter's own nbclient).

usage: execute_notebook.py NOTEBOOK [--output PATH] [--inject SOURCE]

Writes the executed notebook to PATH (default: in place) only when every cell succeeded, via a
temporary file and a rename. No execution times are recorded (a rebuild from the same results
gives the same bytes). --inject puts a code cell holding SOURCE, tagged `injected-parameters`,
right after the cell tagged `parameters` (papermill's convention). On the first failing cell it stops and prints which cell failed and
what the kernel said: tslab reports errors on the cell's stderr with an empty error value, which
`jupyter nbconvert` would reduce to "<Error>:".
"""
import os
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "mnist-report"


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]))
    return "".join(parts).strip()


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
    failed = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed["index"] = cell_index

    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=None, startup_timeout=120, record_timing=False,
        resources={"metadata": {"path": os.getcwd()}}, on_cell_error=on_cell_error,
    )
    try:
        client.execute()
    except CellExecutionError:
        i = failed.get("index", -1)
        cell = nb.cells[i] if i >= 0 else None
        print(f"{src}: cell {i + 1} failed.", file=sys.stderr)
        if cell is not None:
            print("---- cell source ----\n" + "".join(cell.source).strip(), file=sys.stderr)
            print("---- kernel output ----\n" + (cell_text(cell) or "(none)"), file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(dst)), suffix=".ipynb.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
