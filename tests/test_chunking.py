"""Structure-aware chunking of Chinese regulations and guides."""

from __future__ import annotations

from assistant.ingest.chunking import article_label, chunk_document, find_article, to_chinese_numeral
from assistant.ingest.documents import Document, Section

LAW = """# 公共机构节能条例
## 第三章 节能管理
第十四条　公共机构应当实行能源消耗计量制度，区分用能种类、用能系统实行能源消耗分户、分类、分项计量。
第十五条　公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。
公共机构应当于每年3月31日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。
第16条 管理机关事务工作的机构应当会同有关部门制定能源消耗定额。
## 第四章 节能措施
第二十四条　公共机构应当建立、健全本单位节能运行管理制度和用能系统操作规程。"""


def _doc(text: str, pages: list[int | None] | None = None) -> Document:
    if pages:
        parts = text.split("\f")
        return Document("law.pdf", "公共机构节能条例", tuple(Section(t, p) for t, p in zip(parts, pages)), "0" * 64)
    return Document("law.md", "公共机构节能条例", (Section(text),), "0" * 64)


def test_one_article_per_chunk_with_chapter_path() -> None:
    chunks = chunk_document(_doc(LAW), "doc1", "policy", max_chars=400)
    assert [c.article for c in chunks] == ["第十四条", "第十五条", "第十六条", "第二十四条"]
    assert chunks[1].heading_path == ("第三章 节能管理",)
    assert chunks[3].heading_path == ("第四章 节能措施",)
    # The article's second paragraph stays with it; the next article starts a new chunk.
    assert "3月31日" in chunks[1].text and "第16条" not in chunks[1].text
    assert chunks[1].header == "公共机构节能条例 › 第三章 节能管理 › 第十五条"


def test_long_article_splits_at_sentence_ends_with_overlap_and_never_crosses() -> None:
    sentence = "公共机构应当加强用能管理并按要求报送统计数据。"  # 23 characters
    long_article = "第二十条　" + sentence * 30
    text = long_article + "\n第二十一条　下一条的内容。"
    chunks = chunk_document(_doc(text), "doc2", "policy", max_chars=120, overlap=30)
    article_20 = [c for c in chunks if c.article == "第二十条"]
    assert len(article_20) >= 6
    assert all(len(c.text) <= 120 for c in article_20)
    assert all(c.text.endswith("。") for c in article_20)
    # Overlap: each continuation starts with the sentence that ended the previous chunk.
    assert article_20[1].text.startswith(sentence)
    assert [c.article for c in chunks][-1] == "第二十一条"
    assert all("下一条" not in c.text for c in article_20)


def test_pdf_chunks_carry_start_page() -> None:
    text = "第一条　第一页的条文。\f第二条　第二页的条文。\n第三条　同在第二页。"
    chunks = chunk_document(_doc(text, pages=[1, 2]), "doc3", "policy")
    assert [(c.article, c.page) for c in chunks] == [("第一条", 1), ("第二条", 2), ("第三条", 2)]


def test_guide_without_articles_splits_at_clause_headings() -> None:
    text = ("# 新员工指南\n一、岗位职责\n能源管理岗位负责统计和报送。\n（一）统计\n每月抄表。\n"
            "二、年度日历\n3月31日前报送上年度能耗报告。\n引用条例第十五条规定，按时报送。")
    chunks = chunk_document(Document("g.md", "新员工指南", (Section(text),), "1" * 64), "g", "guide")
    paths = [c.heading_path for c in chunks]
    assert ("一、岗位职责",) in paths and ("一、岗位职责", "（一）统计") in paths
    assert ("二、年度日历",) in paths
    assert all(c.article is None for c in chunks)  # "条例第十五条规定" is a reference, not an article


def test_article_numbers_normalise() -> None:
    assert [to_chinese_numeral(n) for n in ("1", "10", "15", "20", "43", "101", "110")] == [
        "一", "十", "十五", "二十", "四十三", "一百零一", "一百一十"]
    assert article_label("１５") == "第十五条"
    assert find_article("条例第15条讲什么？") == "第十五条"
    assert find_article("节能法第 四十九 条") == "第四十九条"
    assert find_article("单位面积能耗是多少") is None


def test_markdown_table_split_across_chunks_repeats_its_header_row() -> None:
    header = "| 年份 | 节能宣传周日期 | 节能宣传周主题 |\n|---|---|---|"
    rows = [f"| {year}年 | 6月{day}日至{day + 6}日 | 主题{year} |" for year, day in zip(range(2015, 2026), range(1, 12))]
    text = "## 历年日期与主题\n" + header + "\n" + "\n".join(rows)
    chunks = chunk_document(Document("weeks.md", "全国节能宣传周", (Section(text),), "0" * 64), "doc3", "campaign",
                            max_chars=160)
    with_rows = [c for c in chunks if "| 20" in c.text]
    assert len(with_rows) >= 2  # the table did not fit in one chunk
    for chunk in with_rows:
        assert chunk.text.startswith(header)  # every piece of the table says what its columns are
    assert sum(c.text.count("年 | 6月") for c in with_rows) == len(rows)  # each row once


def test_a_heading_line_that_would_end_a_full_chunk_heads_the_next_one() -> None:
    items = [f"**{n}. 指标{n}**\n指标{n} = 分子{n} ÷ 分母{n}，" + "说明文字" * 12 for n in range(1, 6)]
    text = "## 计算公式\n" + "\n".join(items)
    chunks = chunk_document(Document("f.md", "计算口径", (Section(text),), "2" * 64), "doc4", "standard",
                            max_chars=120)
    for n in range(1, 6):
        holding = [c for c in chunks if f"指标{n} = 分子{n}" in c.text]
        assert holding and f"**{n}. 指标{n}**" in holding[0].text  # the formula is read with its heading
    assert not any(c.text.rstrip().endswith("**") for c in chunks)  # no chunk ends on a heading alone
