"""The printable documents of a case: the notice (LP13), the escalation report (LP16) and the
supervision filing notice (LP20), in the GB/T 9704 order, for those who may see the case."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from keyproj.codes import DocumentKind
from keyproj.errors import NotFound
from keyproj.services.admin.changelog import actor_of
from keyproj.services.documents.cases import case_document, issued_documents
from keyproj.services.documents.layout import to_docx
from keyproj.services.reference import identity
from tests.builders.clock import bj


@pytest.fixture
def escalated(county):
    """The plant case: notice, response, outcome not accepted, county government, supervision."""
    county.with_warning_case()
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    county.answer_round(bj(2025, 10, 9, 9), bj(2025, 10, 20, 10), result="partly")
    county.submit("zdb", "evaluate", bj(2025, 10, 21, 10), decision="escalate")
    return county


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(BytesIO(data)).paragraphs if p.text]


def test_lp13_the_notice_prints_issuer_number_title_addressee_body_date(
    session, escalated, profile
):
    doc = case_document(session, escalated.people["town"], escalated.case.id, "notice", profile)
    assert paragraphs(to_docx(doc)) == [
        "连平县重点项目工作领导小组办公室",
        "连重点办预警〔2025〕1号",
        "预警催办通知",
        "城关镇：",
        "你单位牵头负责的“城关镇污水处理厂提标改造工程”项目已列为进度预警。",
        "该项目投资完成率低于序时进度，请抓紧协调推进。",
        "请于收到本通知后3个工作日内反馈受理情况，10个工作日内报告协调成效；"
        "需较长时间解决的事项，请及时报告进展情况。",
        "连平县重点项目工作领导小组办公室",
        "2025年9月30日",
        "抄送：县交通运输局。",
    ]


def test_lp16_the_escalation_report_goes_to_the_county_government(session, escalated, profile):
    viewer = escalated.people["zdb"]
    doc = case_document(session, viewer, escalated.case.id, "escalation", profile)
    assert doc.addressee == "连平县人民政府"
    assert doc.title == "关于提请协调解决“城关镇污水处理厂提标改造工程”项目问题的报告"
    assert "因协调成效未获重点办认可，现提请县政府协调解决。" in doc.body
    assert "连重点办预警〔2025〕1号" in doc.body[0]
    assert doc.date_text == "2025年10月21日"


def test_lp20_the_supervision_notice_is_numbered_under_the_county_prefix(
    session, escalated, profile
):
    escalated.with_people("admin")
    edited = identity.defaults(profile).__dict__ | {
        "supervision_issuer": "连平县委县政府督查室",
        "supervision_notice_prefix": "连督字",
    }
    edited.pop("edited_at")
    identity.save_identity(
        session, actor_of(session, escalated.people["admin"]), bj(2025, 10, 22), profile, edited
    )
    escalated.submit("xfb", "county_gov_assign", bj(2025, 10, 22, 9))
    escalated.submit("xfb", "county_gov_handle", bj(2025, 10, 22, 10), decision="supervision")
    escalated.submit("dcs", "supervision_file", bj(2025, 10, 22, 11))
    kinds = issued_documents(session, escalated.people["dcs"], escalated.case.id)
    assert kinds == [DocumentKind.NOTICE, DocumentKind.ESCALATION, DocumentKind.SUPERVISION]
    doc = case_document(session, escalated.people["dcs"], escalated.case.id, "supervision", profile)
    assert (doc.issuer, doc.number) == ("连平县委县政府督查室", "连督字〔2025〕1号")
    assert doc.addressee == "城关镇"
    assert "限期完成资金拨付并报告" in doc.body
    assert doc.body[-1] == "请于2026年12月31日前落实工作责任、办结并报送落实情况。"


def test_a_document_not_yet_issued_is_not_found(session, escalated, profile):
    viewer = escalated.people["zdb"]
    assert issued_documents(session, viewer, escalated.case.id) == [
        DocumentKind.NOTICE,
        DocumentKind.ESCALATION,
    ]
    with pytest.raises(NotFound, match="尚未签发督查立项通知书"):
        case_document(session, viewer, escalated.case.id, "supervision", profile)


def test_a_unit_that_may_not_see_the_case_gets_no_document(session, escalated, profile):
    with pytest.raises(NotFound):
        case_document(session, escalated.people["other"], escalated.case.id, "notice", profile)
    with pytest.raises(NotFound):
        issued_documents(session, escalated.people["other"], escalated.case.id)
