"""The sentence, highlighted: what an answer quotes is marked; otherwise the sentences that carry the question."""

from __future__ import annotations

from assistant.retrieval import highlight
from assistant.ui.cards import marked_text

PASSAGE = ("第十五条　公共机构应当指定专人负责能源消耗统计，如实记录能源消耗计量原始数据，建立统计台账。"
           "公共机构应当于每年3月31日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。")


def test_quoted_sentences_are_found_even_when_the_answer_drops_the_full_stop():
    answer = "公共机构应当于每年3月31日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告（《条例》第十五条）。[1]"
    assert highlight.quoted(PASSAGE, answer) == [
        "公共机构应当于每年3月31日前，向本级人民政府管理机关事务工作的机构报送上一年度能源消耗状况报告。"]
    assert highlight.quoted(PASSAGE, "公共机构应当") == []  # a shared phrase is not a quoted sentence


def test_segments_rebuild_the_text_and_marks_are_escaped_html():
    mark = "建立统计台账。"
    runs = highlight.segments(PASSAGE, [mark, "不在文中的句子。"])
    assert "".join(run for run, _ in runs) == PASSAGE
    assert [run for run, marked in runs if marked] == [mark]
    html = marked_text("<b>第一句。</b>第二句。", ["第二句。"])
    assert html == '&lt;b&gt;第一句。&lt;/b&gt;<mark class="gl-hl">第二句。</mark>'
