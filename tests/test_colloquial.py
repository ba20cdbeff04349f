"""The colloquial lexicon: spoken questions in the documents' words, fillers out, question types named."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.config import REPO_ROOT, Settings
from assistant.retrieval.colloquial import Lexicon
from assistant.retrieval.knowledge import KnowledgeBase

LEXICON = Lexicon.load(REPO_ROOT / "corpus" / "colloquial.tsv")


def test_the_lexicon_has_at_least_300_rows_of_each_useful_kind():
    assert len(LEXICON.replace) + len(LEXICON.after_digit) >= 300
    assert len(LEXICON.fillers | LEXICON.leading | LEXICON.trailing) >= 50
    assert set(LEXICON.questions.values()) >= {"when", "how_many", "duration", "penalty", "department", "how_to",
                                               "definition", "yes_no"}


def test_fillers_go_spoken_words_become_document_words_and_types_are_named():
    result = LEXICON.normalise("麻烦问一下，节能宣传州啥时候开始呀？")
    assert "麻烦问一下" not in result.text and "呀" not in result.text
    assert "节能宣传周" in result.text and "什么时候" in result.text
    assert result.types == ("when",)


def test_sentence_final_particles_only_go_at_the_end():
    assert LEXICON.normalise("哈尔滨的公共机构有几家").text.startswith("哈尔滨")


def test_a_leading_filler_is_dropped_only_at_the_start_of_the_question():
    assert LEXICON.normalise("想了解能耗定额怎么定").text.startswith("能耗定额")
    assert "思想" in LEXICON.normalise("生态文明思想是什么").text  # 想 inside a word stays


def test_a_unit_after_a_digit_is_read_as_a_unit_but_not_inside_other_words():
    assert "30立方米" in LEXICON.normalise("一个月用了30方水").text
    assert "方案" in LEXICON.normalise("3方案哪个好").text
    assert "一千千瓦时" in LEXICON.normalise("每个月少用一千度电").text  # after a Chinese numeral too
    assert "第三方" in LEXICON.normalise("请第三方做审计").text  # but a one-character unit only after a digit


def test_topic_drops_question_words():
    assert "什么时候" not in LEXICON.topic("能耗报告什么时候报送")
    assert "能耗报告" in LEXICON.topic("能耗报告什么时候报送")


def test_a_missing_lexicon_file_passes_questions_through(tmp_path):
    empty = Lexicon.load(tmp_path / "none.tsv")
    assert empty.normalise("请问啥时候报").text == "请问啥时候报"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    home = tmp_path_factory.mktemp("colloquial-home")
    settings = replace(Settings.from_env({}), home=home, embed_model=None)
    with KnowledgeBase.open(settings) as writer:
        writer.ingest([REPO_ROOT / "corpus" / "policies"])
    with KnowledgeBase.open(settings, read_only=True) as reader:
        yield reader


def test_filler_and_question_words_do_not_count_against_coverage(kb):
    plain = kb.search("能源消费统计 报送", k=3).hits[0]
    spoken = kb.search("麻烦问一下，能源消费统计要咋报送呀？", k=3).hits[0]
    assert spoken.chunk.chunk_id == plain.chunk.chunk_id
    assert spoken.coverage >= plain.coverage - 1e-9


def test_whole_question_phrases_are_question_words_not_topic():
    text = LEXICON.normalise("海洋碳会是个啥东西").text
    assert "东西" not in LEXICON.topic(text) and "海洋碳汇" in LEXICON.topic(text)
    assert "讲究" not in LEXICON.topic(LEXICON.normalise("水表装起来有啥讲究").text)


def test_a_sentence_final_particle_that_ends_a_spoken_word_stays_with_it():
    assert LEXICON.normalise("节能宣传周搞这个干嘛").text.endswith("做什么")  # not "干" and a dropped 嘛
    assert LEXICON.normalise("能不能报销嘛").text == "能不能报销"


def test_words_jieba_does_not_know_are_looked_up_as_written(kb):
    tokenizer = kb.tokenizer
    assert tokenizer.unknown_runs("办公电脑老蓝屏") == ["老蓝屏"]
    assert tokenizer.unknown_runs("家里空调不制冷了，得加氟") == ["加氟"]
    assert tokenizer.unknown_runs("能耗超定额了要跟谁说明") == []  # 跟谁 is grammar, not a word
    assert kb.manifest.mentions("公共机构节能条例") and not kb.manifest.mentions("加氟")
    assert kb.unseen_runs("电梯困人了应该打哪个电话") == ["困人"]
    assert kb.unseen_runs("年度节能目标报给谁") == []
