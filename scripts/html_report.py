"""Render executed notebooks as a single-folder HTML report (Jupyter's nbconvert).

usage: html_report.py OUT_DIR PLOTLY_JS MATHJAX_JS NOTEBOOK...

OUT_DIR gets index.html, one page per notebook, report.css, plotly.min.js and
mathjax/tex-svg-full.js.
Each notebook embeds plotly.js in its first chart (so that it works alone, offline); here that
copy is removed from every page and the pages load the one file beside them instead. Nothing
is fetched from the network: the report opens from the file system. The folder is built under
a temporary name and then swapped in, so an interrupted run leaves the previous report intact.
"""
import html
import os
import re
import shutil
import sys

import nbformat
from nbconvert import HTMLExporter

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "jupyter", "nbconvert")
BUNDLE = re.compile(r"<script data-plotly-bundle>.*?</script>", re.S)
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def shared_styles(page, css):
    """Move the page head's style blocks (JupyterLab's ~0.5 MB, the same on every page) into the
    one stylesheet `css` (a list of distinct blocks, in order) and link it instead."""
    head_end = page.index("</head>")
    for block in STYLE.findall(page[:head_end]):
        if block not in css:
            css.append(block)
    head = STYLE.sub("", page[:head_end])
    at = head.index(">", head.index("<meta charset")) + 1 if "<meta charset" in head else head.index("<head>") + len("<head>")
    head = head[:at] + '\n<link rel="stylesheet" href="report.css">' + head[at:]
    return head + page[head_end:]


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


LANDING_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:40px auto;line-height:1.5;padding:0 16px}"
    "table.report-table{border-collapse:collapse;margin:8px 0}table.report-table th,table.report-table td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
    ".cards{display:flex;flex-wrap:wrap;gap:16px}.card{display:flex;flex-direction:column;width:240px;text-decoration:none;color:#124;border:1px solid #ccc;border-radius:6px;padding:8px}"
    ".card img{width:100%;height:150px;object-fit:contain;background:#fff}.card span{margin-top:6px;font-size:14px}"
    ".findings li{margin:6px 0}details{margin:16px 0}summary{font-size:1.25em;font-weight:bold;cursor:pointer}"
)


def thumbnail(nb):
    """The section's first picture (a chart's static PNG or an image), as a thumbnail."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                src = "".join(png) if isinstance(png, list) else png
                return f'<img alt="" src="data:image/png;base64,{src.strip()}">'
    return '<img alt="">'


def page_name(path):
    return os.path.splitext(os.path.basename(path))[0] + ".html"


def main(out_dir, plotly_js, mathjax_js, paths):
    out_dir = os.path.abspath(out_dir)
    tmp = f"{out_dir}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "mathjax"))
    shutil.copyfile(plotly_js, os.path.join(tmp, "plotly.min.js"))
    shutil.copyfile(mathjax_js, os.path.join(tmp, "mathjax", "tex-svg-full.js"))
    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    titles = [title_of(nb, os.path.basename(p)) for nb, p in zip(notebooks, paths)]
    exporter = HTMLExporter(extra_template_basedirs=[TEMPLATES], template_name="report")
    css = []
    for nb, path, title in zip(notebooks, paths, titles):
        pages = [{"href": page_name(p), "title": t, "current": p == path} for p, t in zip(paths, titles)]
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "report_pages": pages})
        body = BUNDLE.sub("", body).replace("<html>", '<html lang="en">', 1)  # for screen readers
        if "data-plotly-bundle" in body or "window.Plotly = Plotly" in body:
            sys.exit(f"{path} embeds plotly.js without the data-plotly-bundle marker: execute it again (npm run report).")
        with open(os.path.join(tmp, page_name(path)), "w", encoding="utf-8") as f:
            f.write(shared_styles(body, css))
    extra = os.environ.get("EXTRA_DIR")  # pages made beside the notebooks' (the retrain page)
    if extra:
        for name in sorted(os.listdir(extra)):
            shutil.copyfile(os.path.join(extra, name), os.path.join(tmp, name))
    with open(os.path.join(tmp, "report.css"), "w", encoding="utf-8") as f:
        f.write("\n".join(css))
    cards = "\n".join(
        f'<a class="card" href="{page_name(p)}">{thumbnail(nb)}<span>{html.escape(t)}</span></a>' for nb, p, t in zip(notebooks, paths, titles)
    )
    landing = ""
    if os.environ.get("LANDING_HTML"):
        with open(os.environ["LANDING_HTML"], encoding="utf-8") as f:
            landing = f.read()
    sections = f'<h2>The report, section by section</h2>\n<div class="cards">\n{cards}\n</div>\n'
    body = landing.replace("<!--sections-->", sections) if "<!--sections-->" in landing else landing + sections
    with open(os.path.join(tmp, "index.html"), "w", encoding="utf-8") as f:
        f.write(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>MNIST with a from-scratch MLP: the report</title>"
            f"<style>{LANDING_CSS}</style></head>\n"
            "<body><h1>MNIST with a from-scratch MLP, reproduced in TypeScript</h1>\n"
            "<p>A student report's MLP classifier for MNIST, reproduced from scratch and executed as notebooks.</p>\n"
            f"{body}\n"
            "<p>These pages open from the file system with live charts (plotly.js and MathJax are in this folder; nothing "
            "is loaded from the network).</p>\n</body></html>\n"
        )
    old = f"{out_dir}.old-{os.getpid()}"
    if os.path.exists(out_dir):
        os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"{len(paths)} pages in {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[2])
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
