"""Real law texts (tests/data/laws/), exported as offices receive them, read back through the loaders: 文号, issuer
and the four dates are checked field by field against what the header lines state (expected.json), and a field
the text does not state must be absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.documents import parse_file
from assistant.ingest.regmeta import FIELDS
from evals.regmeta import export, laws

LAWS = laws()


def test_the_set_is_real_varied_and_large_enough():
    assert len(LAWS) >= 15
    assert {law.format for law in LAWS} == {"pdf", "pdf-official", "docx", "txt", "html"}
    assert sum(1 for law in LAWS if "doc_number" in law.fields) >= 8
    assert sum(1 for law in LAWS if set(law.fields) == {"effective"}) >= 2  # texts that state almost nothing


@pytest.mark.parametrize("law", LAWS, ids=[law.name for law in LAWS])
def test_metadata_of_a_real_law_field_by_field(law, tmp_path: Path):
    path = export(law, tmp_path)
    doc = parse_file(path)
    for field in FIELDS:
        assert doc.meta.get(field) == law.fields.get(field), (law.file, law.format, field)
    for warning in law.warnings:
        assert any(warning in w for w in doc.warnings), (law.file, doc.warnings)


def test_exports_carry_the_quirks_they_are_meant_to(tmp_path: Path):
    """The PDF really wraps header lines mid-phrase, and the TXT really is GB18030, not UTF-8."""
    from pypdf import PdfReader

    law = next(x for x in LAWS if x.name == "minyong-jianzhu-jieneng-tiaoli")
    raw = PdfReader(export(law, tmp_path)).pages[0].extract_text()
    assert "2008年8月1日中华人民共和国国务院令第530号公布" not in raw.replace(" ", "")  # broken across lines
    text = next(x for x in LAWS if x.format == "txt")
    data = export(text, tmp_path).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
