"""Same-pinyin slips are corrected against the knowledge base's own words, only when unknown and unambiguous."""

from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.retrieval.colloquial import Lexicon
from assistant.retrieval.knowledge import KnowledgeBase
from assistant.retrieval.spelling import Speller


def test_an_unknown_word_is_replaced_by_the_one_known_word_that_sounds_the_same():
    speller = Speller(["光伏", "因子", "领跑者", "节能"])
    assert speller.correct("光幅") == "光伏"
    assert speller.correct("领跑着") == "领跑者"
    assert speller.correct("节能") is None  # known words are never touched
    assert speller.correct("奥运") is None  # no word sounds like it
    assert speller.fix("屋顶装光幅要注意什么", ["屋顶", "装", "光", "幅", "要", "注意", "什么"]) == "屋顶装光伏要注意什么"


def test_an_ambiguous_slip_is_left_alone():
    speller = Speller(["公式", "公示"])  # gōng shì twice: no way to choose
    assert speller.correct("攻势") is None


def test_search_finds_the_passage_despite_the_slip(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pv.md").write_text("# 屋顶光伏\n\n公共建筑屋顶光伏要做好防台风加固，组件与支架按当地基本风压校核。\n",
                                  encoding="utf-8")
    (corpus / "other.md").write_text("# 节水\n\n机关用水定额分先进值和通用值。\n", encoding="utf-8")
    settings = replace(Settings.from_env({}), home=tmp_path / "home", embed_model=None, corpus_dir=corpus)
    with KnowledgeBase.open(settings) as kb:
        kb.ingest([corpus])
        assert kb.normalise_query("屋顶光幅防台风要注意啥").startswith("屋顶光伏防台风")
        hits = kb.search("屋顶光幅防台风要注意啥", k=1).hits
        assert hits and hits[0].chunk.title == "屋顶光伏" and not kb.unseen_words("屋顶光幅防台风")


def test_a_unit_at_the_very_end_is_rewritten_after_a_digit():
    lexicon = Lexicon.load(Path(__file__).resolve().parent.parent / "corpus" / "colloquial.tsv")
    assert lexicon.normalise("食堂一个月用了30方").text.endswith("30立方米")
    assert "方面" in lexicon.normalise("用水30方面的问题").text


def test_the_sound_table_is_made_with_the_index_and_read_back_with_it(tmp_path: Path, monkeypatch):
    from assistant.retrieval import spelling
    from assistant.retrieval.lexical import LexicalIndex

    index = LexicalIndex.build([("a", "屋顶 光伏 组件"), ("b", "排放 因子")], generation=3)
    assert "光伏" in index.sounds["guang fu"]
    index.save(tmp_path / "lexical")
    monkeypatch.setattr(spelling, "sound_table", lambda words: (_ for _ in ()).throw(AssertionError("rebuilt")))
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.sounds == index.sounds
    assert spelling.Speller(loaded.df, loaded.sounds).correct("光幅") == "光伏"  # no table built on the question


def test_a_degree_adverb_and_an_adjective_are_not_a_slip():
    speller = Speller({"最近", "用电"})
    assert speller.correct("最紧") is None  # 预算最紧 is not 预算最近
    assert speller.correct("用点") == "用电"


def _one_document_kb(tmp_path: Path, text: str) -> KnowledgeBase:
    """A knowledge base in `tmp_path` holding one Markdown document with `text` (the caller closes it)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.md").write_text(text, encoding="utf-8")
    kb = KnowledgeBase.open(replace(Settings.from_env({}), home=tmp_path / "home", embed_model=None, corpus_dir=corpus))
    kb.ingest([corpus])
    return kb


def test_a_common_word_is_typed_on_purpose_not_a_slip(tmp_path: Path):
    with _one_document_kb(tmp_path, "# 照明\n\n走廊照明与检查结论应当一致，长明灯要及时整改。\n") as kb:
        assert "一直" in kb.normalise_query("走廊的灯一直亮着咋办")  # 一直 is a common word, not a slip of 一致
        assert kb.tokenizer.is_common_word("一直") and not kb.tokenizer.is_common_word("光幅")


def test_a_slip_in_a_units_name_is_corrected_only_when_one_name_fits():
    from assistant.retrieval.spelling import fix_names

    names = ["市博物馆", "市图书馆", "西岙区人民政府", "市第一实验中学"]
    assert fix_names("博物管今年用水多少方", names) == "博物馆今年用水多少方"
    assert fix_names("西岙区政付去年能耗", names) == "西岙区政府去年能耗"  # the name without 人民
    assert fix_names("一种的情况", names) == "一种的情况"


def test_an_administrative_prefix_is_not_half_of_a_slip(tmp_path: Path):
    with _one_document_kb(tmp_path, "# 行动\n\n十大绿色低碳行动之一是数据中心节能。\n") as kb:
        assert kb.normalise_query("市大数据中心为什么用电高").startswith("市大数据中心")  # not 十大数据中心


def test_a_slip_of_a_data_word_that_jieba_splits_into_single_characters():
    import jieba

    from assistant.retrieval.spelling import fix_terms

    terms = ("能耗", "用电", "排名")
    for typed, meant in (("体育中心今年能号多少", "体育中心今年能耗多少"), ("交易中心2020年综合能好多少", "交易中心2020年综合能耗多少")):
        assert fix_terms(typed, jieba.lcut(typed, HMM=False), terms) == meant
    for typed in ("我们能好好利用这些数据吗", "能号召大家节约用电吗"):  # 好好, 号召 are words: typed on purpose
        assert fix_terms(typed, jieba.lcut(typed, HMM=False), terms) == typed
