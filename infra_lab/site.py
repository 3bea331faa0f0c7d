"""The course as a static web site that works offline: ``make site`` / ``infra-lab site``.

One HTML page per executed notebook (nbconvert's JupyterLab template, so pages look like the
notebooks students know) and an index built from :data:`infra_lab.syllabus.SYLLABUS`.

Why nbconvert rather than Jupyter Book/MyST: it is already in the course's pinned
environment (JupyterLab depends on it), renders the executed notebooks exactly as JupyterLab
shows them, and builds offline in seconds; a book tool would add a second toolchain to pin
for the same pages. What nbconvert leaves to the network is fixed here:

- **Maths offline.** nbconvert links MathJax from a CDN. Here the TeX of every Markdown cell
  (and every Markdown output) is rendered to MathML at build time with ``latex2mathml``, and
  the browser draws it natively — no script, no web fonts (which browsers refuse from
  ``file://`` pages anyway), nothing from the network. A formula that does not convert stays
  visible as TeX in ``<code>`` and is reported by :func:`build_site`.
- **No other network requests.** Script tags that point off-site (require.js, used only by
  interactive widgets) are dropped; a test opens every page with the network blocked.
- **Alt text on every figure.** A figure shown with :func:`infra_lab.notebook.show` carries
  its own description (its title, or the ``alt`` the notebook passes); any other image gets
  one naming the section it illustrates.
- **Links between chapters.** Each page has previous/index/next links, and a link to another
  notebook (``07_serving_capacity.ipynb``) is rewritten to its page.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Sequence

from .syllabus import SYLLABUS, Chapter

__all__ = ["build_site", "tex_to_mathml"]

_OFFSITE_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)(?P<close>/?)>", re.I | re.S)
_HEADING = re.compile(r"<h([1-3])[^>]*>(?P<text>.*?)</h\1>", re.I | re.S)
_NB_LINK = re.compile(r'href="(?:\./)?(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')
_MATHJAX_BLOCK = re.compile(r'<script[^>]*src="[^"]*MathJax[^"]*"[^>]*>\s*</script>\s*|'
                            r'<!-- MathJax configuration -->.*?<!-- End of mathjax configuration -->', re.S)
# $$…$$, \[…\], \(…\), then $…$ (no space just inside the dollars, so "$5 and $6" is prose).
_MATH = re.compile(r"\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\]|\\\((?P<i1>.+?)\\\)|(?<![\\$\w])\$(?P<i2>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\w)", re.S)
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_STYLE = """
<style>
.il-nav { font: 14px/1.4 system-ui, sans-serif; padding: 8px 16px; border-bottom: 1px solid #ddd;
          display: flex; gap: 16px; background: #fafafa; }
.il-nav a { text-decoration: none; }
</style>
"""


def tex_to_mathml(markdown: str) -> tuple[str, list[str]]:
    """Replace the TeX in a Markdown text by MathML; return the text and the formulas that failed.

    Code spans and fenced code are left alone. A formula latex2mathml cannot convert is kept
    as TeX inside ``<code>`` (visible, never silently dropped) and returned in the list.

    >>> text, failed = tex_to_mathml(r"Capacity $= R \\times T$ costs $5 and $6.")
    >>> text.count("<math"), "$5 and $6" in text, failed
    (1, True, [])
    """
    from latex2mathml.converter import convert

    failed: list[str] = []

    def one(m: re.Match) -> str:
        tex = next(g for g in m.groups() if g is not None)
        display = m.group("d1") is not None or m.group("d2") is not None
        try:
            mathml = convert(tex.strip(), display="block" if display else "inline")
        except Exception:  # noqa: BLE001 - any converter failure is reported, not fatal
            failed.append(tex)
            return f"<code>{html.escape(m.group(0))}</code>"
        return f"\n\n{mathml}\n\n" if display else mathml

    parts = _CODE.split(markdown)
    return "".join(p if i % 2 else _MATH.sub(one, p) for i, p in enumerate(parts)), failed


def _render_maths(nb) -> list[str]:
    failed: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, bad = tex_to_mathml(cell.source)
            failed += bad
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"], bad = tex_to_mathml(data["text/markdown"])
                failed += bad
    return failed


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("¶", "").strip()


def _with_alt_text(page: str, chapter: Chapter) -> str:
    """Give every ``<img>`` an ``alt``: its own if it has one, else the section it illustrates."""
    headings = [(m.start(), _text(m.group("text"))) for m in _HEADING.finditer(page)]

    def fix(match: re.Match) -> str:
        attrs = match.group("attrs")
        if re.search(r'\balt="[^"]+"', attrs):
            return match.group(0)
        before = [text for pos, text in headings if pos < match.start()]
        section = before[-1] if before else chapter.title
        alt = html.escape(f"Figure for the section “{section}” of {chapter.title}", quote=True)
        attrs = re.sub(r'\balt=""', "", attrs)
        return f'<img alt="{alt}"{attrs}{match.group("close")}>'

    return _IMG.sub(fix, page)


def _nav(chapters: Sequence[Chapter], i: int) -> str:
    prev = f'<a href="{chapters[i - 1].stem}.html">← {html.escape(chapters[i - 1].title)}</a>' if i > 0 else ""
    nxt = (f'<a href="{chapters[i + 1].stem}.html">{html.escape(chapters[i + 1].title)} →</a>'
           if i + 1 < len(chapters) else "")
    return f'<nav class="il-nav">{prev}<a href="index.html">Course index</a>{nxt}</nav>'


def _page(notebook: Path, chapter: Chapter, chapters: Sequence[Chapter], i: int, built: set[str]) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="infra_lab_site",
                            extra_template_basedirs=[str(Path(__file__).parent / "templates")])
    nb = nbformat.read(notebook, as_version=4)
    failed = _render_maths(nb)
    if failed:
        raise ValueError(f"{notebook.name}: {len(failed)} formula(s) did not convert to MathML, e.g. {failed[0]!r}")
    body, _ = exporter.from_notebook_node(nb)
    body = _MATHJAX_BLOCK.sub("", body)
    body = _OFFSITE_SCRIPT.sub("", body)
    body = body.replace("</head>", _STYLE + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _nav(chapters, i), body, count=1)

    def link(m: re.Match) -> str:
        stem, anchor = m.group(1), m.group(2) or ""
        return f'href="{stem}.html{anchor}"' if stem in built else m.group(0)

    body = _NB_LINK.sub(link, body)
    return _with_alt_text(body, chapter)


def _index(chapters: Sequence[Chapter], built: set[str]) -> str:
    rows = []
    for c in chapters:
        title = html.escape(c.title)
        cell = f'<a href="{c.stem}.html">{title}</a>' if c.stem in built else f"{title} (not built)"
        rows.append(f"<tr><td><code>{c.stem}</code></td><td>{cell}</td>"
                    f"<td>{html.escape('; '.join(c.sections))}</td>"
                    f"<td>{html.escape(', '.join(c.modules))}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>AI Infrastructure: Data Pipelines, Compute, and Deployment Systems</title>
<style>body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; }}</style>
</head><body>
<h1>AI Infrastructure: Data Pipelines, Compute, and Deployment Systems</h1>
<p>The executed notebooks of the course, one page per chapter. Every number on these pages was
computed by the notebook; the maths is MathML drawn by the browser, so the site works offline.</p>
<table><thead><tr><th>notebook</th><th>chapter</th><th>article sections</th><th>library</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


def build_site(executed_dir: str | Path, site_dir: str | Path) -> list[Path]:
    """Build the static site from executed notebooks; return the pages written.

    Parameters
    ----------
    executed_dir : path
        Folder of executed notebooks, ``<stem>.ipynb`` (the runner's ``outputs/executed``).
    site_dir : path
        Where the site goes; replaced as a whole (built in a staging folder first).

    Raises
    ------
    FileNotFoundError
        If no syllabus notebook has an executed copy in ``executed_dir``.
    ValueError
        If a formula does not convert to MathML (it would show as raw TeX).
    """
    executed_dir, site_dir = Path(executed_dir), Path(site_dir)
    chapters = [c for c in SYLLABUS if (executed_dir / f"{c.stem}.ipynb").exists()]
    if not chapters:
        raise FileNotFoundError(f"no executed notebooks in {executed_dir}; run `make course` first")
    built = {c.stem for c in chapters}
    staging = site_dir.with_name(f".{site_dir.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    pages = []
    for i, chapter in enumerate(chapters):
        page = staging / f"{chapter.stem}.html"
        page.write_text(_page(executed_dir / f"{chapter.stem}.ipynb", chapter, chapters, i, built), encoding="utf-8")
        pages.append(site_dir / page.name)
    (staging / "index.html").write_text(_index(SYLLABUS, built), encoding="utf-8")
    shutil.rmtree(site_dir, ignore_errors=True)
    staging.rename(site_dir)
    return [site_dir / "index.html", *pages]
