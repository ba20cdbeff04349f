"""Regulation metadata read from real header lines: the layouts offices receive (gazette lines, the official
one-paragraph header, a 国务院令 cover page, 公文 with 文号 and 落款, database printouts) and the ways a Word→PDF
export mangles them (odd spacing, full-width digits, Chinese-numeral dates, lines broken mid-word)."""

from __future__ import annotations

from assistant.ingest import regmeta
from assistant.ingest.regmeta import describe, parse_date, read

# 《民用建筑节能条例》 as the gazette prints it (LawRefBook/Laws, 行政法规/民用建筑节能条例(2008-08-01).md).
CIVIL_BUILDINGS = """# 民用建筑节能条例

2008年7月23日 国务院第18次常务会议通过

2008年8月1日 中华人民共和国国务院令第530号公布

2008年10月1日 施行

## 第一章 总则

第一条 为了加强民用建筑节能管理，降低民用建筑使用过程中的能源消耗，提高能源利用效率，制定本条例。

第四十五条 本条例自2008年10月1日起施行。
"""


def test_gazette_header_lines_give_every_field():
    fields = read(CIVIL_BUILDINGS, "民用建筑节能条例").fields
    assert fields == {"doc_number": "国务院令第530号", "issuer": "国务院", "adopted": "2008-07-23",
                      "promulgated": "2008-08-01", "effective": "2008-10-01"}


def test_official_one_paragraph_header_with_a_revision():
    text = ("公共机构节能条例\n（2008年8月1日中华人民共和国国务院令第531号公布　根据2017年3月1日《国务院关于修改和废止部分"
            "行政法规的决定》修订）\n第一章　总则\n第一条　为了推动公共机构节能……\n第四十三条　本条例自2008年10月1日起施行。")
    assert read(text, "公共机构节能条例").fields == {
        "doc_number": "国务院令第531号", "issuer": "国务院", "promulgated": "2008-08-01",
        "effective": "2008-10-01", "last_amended": "2017-03-01"}


def test_law_with_two_amendments_takes_the_latest_and_the_adopting_body():
    # 《中华人民共和国节约能源法》(经济法/节约能源法(2018-10-26).md); no 文号 in these lines, so none is given.
    text = """# 中华人民共和国节约能源法
1997年11月1日 第八届全国人民代表大会常务委员会第二十八次会议通过
2007年10月28日 第十届全国人民代表大会常务委员会第三十次会议修订
2016年7月2日 第十二届全国人民代表大会常务委员会第二十一次会议《关于修改〈中华人民共和国节约能源法〉等六部法律的决定》第一次修正
2018年10月26日 第十三届全国人民代表大会常务委员会第六次会议《关于修改〈中华人民共和国野生动物保护法〉等十五部法律的决定》第二次修正
## 第一章 总则
第八十七条 本法自2008年4月1日起施行。"""
    assert read(text, "中华人民共和国节约能源法").fields == {
        "issuer": "全国人民代表大会常务委员会", "adopted": "1997-11-01", "effective": "2008-04-01",
        "last_amended": "2018-10-26"}


def test_state_council_decree_cover_page_with_spaced_number_and_chinese_numeral_date():
    # The 国务院令 page as gov.cn lays it out: "第 530 号", "总 理", the date in Chinese numerals with ○.
    text = ("中华人民共和国国务院令\n第 530 号\n　　《民用建筑节能条例》已经2008年7月23日国务院第18次常务会议通过，现予公布，"
            "自2008年10月1日起施行。\n总　理　温家宝\n二○○八年八月一日\n民 用 建 筑 节 能 条 例\n第一章　总　　则\n"
            "第一条　为了加强民用建筑节能管理……")
    assert read(text, "中华人民共和国国务院令").fields == {
        "doc_number": "国务院令第530号", "issuer": "国务院", "adopted": "2008-07-23", "promulgated": "2008-08-01",
        "effective": "2008-10-01"}


def test_word_to_pdf_quirks_spacing_full_width_digits_and_mid_word_breaks():
    text = ("民用建筑节能条例\n2008 年 7 月 23 日 国务院第 18 次常务会议通\n过\n"
            "２００８年８月１日　中华人民共和国国务院令第53\n0号公布\n"
            "第一章 总则\n第四十五条 本条例自2008年10\n月1日起施行。")
    assert read(text, "民用建筑节能条例").fields == {
        "doc_number": "国务院令第530号", "issuer": "国务院", "adopted": "2008-07-23", "promulgated": "2008-08-01",
        "effective": "2008-10-01"}


def test_local_regulation_names_its_standing_committee_not_the_abbreviated_city():
    # 杭州市民用建筑节能条例(2014-12-31).md: "市十二届人大常委会" does not say which city; the 公布 line does.
    text = """# 杭州市民用建筑节能条例
2014年8月29日 市十二届人大常委会第二十一次会议通过
2014年11月28日 省十二届人大常委会第十四次会议批准
2014年12月31日 杭州市人民代表大会常务委员会第36号公布
2015年4月1日 施行
## 第一章 总则"""
    assert read(text, "杭州市民用建筑节能条例").fields == {
        "doc_number": "杭州市人民代表大会常务委员会第36号", "issuer": "杭州市人民代表大会常务委员会",
        "adopted": "2014-08-29", "promulgated": "2014-12-31", "effective": "2015-04-01"}


def test_ministry_decree_approved_by_the_state_council_is_issued_by_the_ministry():
    text = ("城市节约用水管理规定\n1988年11月30日 国务院批准　\n1988年12月20日 中华人民共和国建设部令第1号发布　\n"
            "1989年1月1日 施行\n第一条 为加强城市节约用水管理……")
    assert read(text, "城市节约用水管理规定").fields == {
        "doc_number": "建设部令第1号", "issuer": "建设部", "promulgated": "1988-12-20", "effective": "1989-01-01"}


def test_repeal_clause_of_an_older_version_does_not_lend_its_dates():
    # 河南省节约能源条例(2017-12-04).md: the last article names the 2006 version it repeals.
    text = ("# 河南省节约能源条例\n2017年12月1日 河南省第十二届人民代表大会常务委员会第三十二次会议通过\n## 第一章 总则\n"
            "第四十八条 本条例自2018年5月1日起施行。2006年3月29日河南省第十届人民代表大会常务委员会第二十三次会议通过、"
            "根据2010年7月30日河南省第十一届人民代表大会常务委员会第十六次会议《关于修改部分地方性法规的决定》修正的"
            "《河南省节约能源条例》同时废止。")
    assert read(text, "河南省节约能源条例").fields == {
        "issuer": "河南省人民代表大会常务委员会", "adopted": "2017-12-01", "effective": "2018-05-01"}


def test_normative_document_number_in_square_brackets_is_normalised():
    # 部门规章/人力资源社会保障部/关于职工全年月平均工作时间和工资折算问题的通知(2009-03-29).md
    text = ("# 关于职工全年月平均工作时间和工资折算问题的通知\n劳社部发[2008]3号\n各省、自治区、直辖市劳动和社会保障厅（局）：\n"
            "根据《全国年节及纪念日放假办法》（国务院令第513号）的规定，……")
    fields = read(text, "关于职工全年月平均工作时间和工资折算问题的通知").fields
    assert fields == {"doc_number": "劳社部发〔2008〕3号"}  # the 国务院令 cited in the body is not its number


def test_title_broken_over_lines_still_names_the_issuer():
    # 司法解释/最高人民法院关于审理森林资源民事纠纷案件适用法律若干问题的解释(2022-06-13).md
    text = ("最高人民法院\n关于审理森林资源民事纠纷案件适用法律\n若干问题的解释\n法释〔2022〕16号\n"
            "为妥善审理森林资源民事纠纷案件，……制定本解释。\n第一条 人民法院审理……")
    assert read(text, "最高人民法院").fields == {"doc_number": "法释〔2022〕16号", "issuer": "最高人民法院"}


def test_official_notice_signature_block_gives_the_date_and_effective_on_issue():
    text = ("国管局 国家发展改革委 财政部关于鼓励和支持公共机构采用能源费用托管服务的意见\n国管节能〔2022〕287号\n"
            "各省、自治区、直辖市机关事务管理部门、发展改革委、财政厅（局）：\n"
            "为贯彻落实党中央、国务院决策部署，……提出以下意见。\n一、总体要求\n（一）……\n本意见自印发之日起施行。\n"
            "国家机关事务管理局\n国家发展和改革委员会\n财政部\n2022年9月7日")
    title = "国管局 国家发展改革委 财政部关于鼓励和支持公共机构采用能源费用托管服务的意见"
    assert read(text, title).fields == {"doc_number": "国管节能〔2022〕287号", "issuer": "国管局 国家发展改革委 财政部",
                                        "promulgated": "2022-09-07", "effective": "2022-09-07"}


def test_database_printout_labels():
    text = ("民用建筑节能条例\n制定机关：国务院　发文字号：中华人民共和国国务院令第530号\n公布日期：2008.08.01　施行日期：2008.10.01\n"
            "时效性：现行有效　效力位阶：行政法规\n第一章 总则")
    assert read(text, "民用建筑节能条例").fields == {
        "doc_number": "国务院令第530号", "issuer": "国务院", "promulgated": "2008-08-01", "effective": "2008-10-01",
        "status": "现行有效"}


def test_two_document_numbers_are_a_warning_and_neither_is_taken():
    text = "关于开展节能宣传周活动的通知\n国管节能〔2021〕88号\n发改环资〔2021〕90号\n各有关单位：\n现将有关事项通知如下。"
    meta, warnings = describe(text, "关于开展节能宣传周活动的通知")
    assert "doc_number" not in meta
    assert any("文号有2个候选" in w and "国管节能〔2021〕88号" in w and "发改环资〔2021〕90号" in w for w in warnings)


def test_unreadable_date_is_a_warning_and_the_field_stays_absent():
    text = "民用建筑节能条例\n2008年13月23日 国务院第18次常务会议通过\n2008年8月1日 中华人民共和国国务院令第530号公布\n第一章 总则"
    meta, warnings = describe(text, "民用建筑节能条例")
    assert "adopted" not in meta and meta["promulgated"] == "2008-08-01"
    assert any("2008年13月23日" in w and "不是有效日期" in w for w in warnings)


def test_many_adoption_dates_in_one_header_are_not_guessed_between():
    # 北京市实施《节约能源法》办法(2019-11-27).md carries the header lines of eight regulations.
    text = ("北京市实施《中华人民共和国节约能源法》办法\n"
            "1999年9月16日 北京市第十一届人民代表大会常务委员会第十三次会议通过\n"
            "2010年5月28日 北京市第十三届人民代表大会常务委员会第十八次会议修订\n"
            "1999年10月28日 北京市第十一届人民代表大会常务委员会第十四次会议通过\n第一章 总则")
    meta, warnings = describe(text, "北京市实施《中华人民共和国节约能源法》办法")
    assert "adopted" not in meta and meta["last_amended"] == "2010-05-28"
    assert any("通过日期有2个候选" in w for w in warnings)


def test_nothing_read_warns_only_for_documents_that_ought_to_say():
    assert describe("第一条 为了……\n第二条 ……", "节约用水条例")[1] == [
        "元数据：未从正文读到文号、发文机关或日期（可在 Markdown front matter 中补充）"]
    assert describe("会议室无人时关闭照明。", "会议室照明提示")[1] == []


def test_front_matter_wins_and_its_bad_date_is_reported():
    text = CIVIL_BUILDINGS
    meta, warnings = describe(text, "民用建筑节能条例", {"doc_number": "国令第530号", "effective": "2008年10月",
                                                      "status": "已废止", "date": "2008-08-01"})
    assert meta["doc_number"] == "国令第530号" and meta["status"] == "已废止" and meta["date"] == "2008-08-01"
    assert meta["effective"] == "2008-10-01"  # the unusable front-matter value does not hide what the text says
    assert any("effective“2008年10月”不是有效日期" in w for w in warnings)


def test_parse_date_reads_office_spellings_and_rejects_impossible_days():
    assert parse_date("2008 年 7 月 23 日") == "2008-07-23"
    assert parse_date("二〇〇八年七月二十三日") == "2008-07-23"
    assert parse_date("二○二一年十二月三十一日") == "2021-12-31"
    assert parse_date("２０２１年６月１日") == "2021-06-01"
    assert parse_date("2021.6.1") == "2021-06-01"
    assert parse_date("2021年2月30日") is None
    assert parse_date("2021年6月") is None
    assert regmeta.normal_status("已被修改") == "已修订" and regmeta.normal_status("失效") == "已废止"
