"""Regulation metadata on real law texts: each text in tests/data/laws/ exported the way offices receive it (a Word→PDF
export with lines wrapped mid-phrase, a DOCX, a GB18030 text file, a web page), read back through the real loaders,
and its 文号, issuer and dates compared field by field with expected.json (checked by hand against the header lines).

`python -m evals.regmeta` prints the table alone; `python -m evals` includes it.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

from assistant.ingest.regmeta import FIELDS

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT / "tests" / "data" / "laws"
FONT_CJK = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
FONT_LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SUFFIX = {"pdf": ".pdf", "pdf-official": ".pdf", "docx": ".docx", "txt": ".txt", "html": ".html"}
_DATE_START = re.compile(r"^[0-9]{4}年")


@dataclass(frozen=True)
class Law:
    file: str
    source: str
    format: str
    fields: dict[str, str]
    warnings: tuple[str, ...] = ()
    heldout: bool = False  # added after the parser was written, to see how it does on texts it was not fitted to

    @property
    def name(self) -> str:
        return Path(self.file).stem


def laws() -> list[Law]:
    """The real law texts and the metadata their header lines state."""
    rows = json.loads((LAWS / "expected.json").read_text(encoding="utf-8"))
    return [Law(r["file"], r["source"], r["format"], r["fields"], tuple(r.get("warnings", [])), r.get("heldout", False))
            for r in rows]


def law_lines(law: Law) -> tuple[str, list[str]]:
    """(title, the text's lines without Markdown marks or the source's comments)."""
    raw = (LAWS / law.file).read_text(encoding="utf-8").splitlines()
    lines = [re.sub(r"^#+\s*", "", line).strip() for line in raw if line.strip() and not line.startswith("<!--")]
    return lines[0], lines


def export(law: Law, folder: Path) -> Path:
    """Write `law` as an office file in `folder` (format from expected.json); returns its path."""
    title, lines = law_lines(law)
    if law.format == "pdf-official":
        # The gazette prints the header as one parenthesised paragraph: "（……通过　……公布　……施行）".
        header = [x for x in lines[1:] if _DATE_START.match(x)]
        lines = [title, "（" + "　".join(header) + "）", *[x for x in lines[1:] if x not in header]]
    target = folder / f"{law.name}{SUFFIX[law.format]}"
    if law.format.startswith("pdf"):
        _write_pdf(target, title, lines)
    elif law.format == "docx":
        _write_docx(target, lines)
    elif law.format == "txt":
        target.write_bytes("\r\n".join(lines).encode("gb18030"))
    else:
        body = "".join(f"<p>{escape(x)}</p>\n" for x in lines[1:])
        target.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}_中国政府网"
                          f"</title><script>var nav = 1;</script></head><body><div class=\"nav\">首页 &gt; 政策</div>"
                          f"<div class=\"article\"><h1>{escape(title)}</h1>\n{body}</div></body></html>",
                          encoding="utf-8")
    return target


def score(folder: Path | None = None) -> dict:
    """Export every law, read it back with the loaders, and compare each of the six fields."""
    from assistant.ingest.documents import parse_file

    with tempfile.TemporaryDirectory() as tmp:
        folder = folder or Path(tmp)
        rows = []
        for law in laws():
            doc = parse_file(export(law, folder))
            got = {k: doc.meta.get(k) for k in FIELDS}
            wrong = {k: {"expected": law.fields.get(k), "read": got[k]} for k in FIELDS if got[k] != law.fields.get(k)}
            missing_warnings = [w for w in law.warnings if not any(w in x for x in doc.warnings)]
            rows.append({"file": law.file, "format": law.format, "heldout": law.heldout, "wrong": wrong,
                         "missing_warnings": missing_warnings})
    checked = len(rows) * len(FIELDS)
    stated = sum(len(law.fields) for law in laws())
    wrong = sum(len(r["wrong"]) for r in rows)
    guessed = sum(1 for r in rows for w in r["wrong"].values() if w["expected"] is None)
    return {"documents": len(rows), "fields_checked": checked, "fields_stated": stated, "fields_correct": checked - wrong,
            "fields_guessed": guessed, "documents_exact": sum(1 for r in rows if not r["wrong"]),
            "warnings_missing": sum(len(r["missing_warnings"]) for r in rows),
            "heldout_exact": sum(1 for r in rows if r["heldout"] and not r["wrong"]),
            "heldout": sum(1 for r in rows if r["heldout"]), "by_format": _by_format(rows), "problems": [r for r in rows if r["wrong"] or r["missing_warnings"]]}


def table(report: dict) -> str:
    lines = [f"Regulation metadata: {report['documents_exact']}/{report['documents']} documents exact, "
             f"{report['fields_correct']}/{report['fields_checked']} fields right ({report['fields_stated']} stated in "
             f"the texts, {report['fields_guessed']} guessed where the text says nothing), "
             f"{report['warnings_missing']} expected warnings missing; held-out set {report['heldout_exact']}/"
             f"{report['heldout']} exact"]
    lines += [f"  {fmt:<13} {n['exact']}/{n['documents']} exact" for fmt, n in sorted(report["by_format"].items())]
    for problem in report["problems"]:
        lines.append(f"  ✗ {problem['file']} ({problem['format']}): {problem['wrong'] or ''} "
                     f"{problem['missing_warnings'] or ''}".rstrip())
    return "\n".join(lines)


def _by_format(rows: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for row in rows:
        entry = out.setdefault(row["format"], {"documents": 0, "exact": 0})
        entry["documents"] += 1
        entry["exact"] += not row["wrong"]
    return out


def _write_pdf(path: Path, title: str, lines: list[str]) -> None:
    """A Word→PDF export: A4, the title in the document properties, paragraphs wrapped at a narrow margin."""
    import logging

    from fpdf import FPDF

    # The CJK font has no 〈〉 (the gazette's inner title brackets); fpdf2 says so on every file. The header lines
    # that hold them are still read right, which is what this eval checks.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=FONT_CJK)
    pdf.add_font("latin", fname=FONT_LATIN)  # Droid Sans Fallback has no Latin digits
    pdf.set_fallback_fonts(["latin"])
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    for line in lines:
        pdf.multi_cell(95, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def _write_docx(path: Path, lines: list[str]) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        paragraph = document.add_paragraph(line)
        if _DATE_START.match(line) or re.match(r"^第[一二三四五六七八九十]+章", line):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))


if __name__ == "__main__":
    print(table(score()))
