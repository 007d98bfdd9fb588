"""An official document (公文) laid out after GB/T 9704 as a DOCX file, with python-docx.

The parts in their order: the issuing organ in red, the document number, a red rule, the
title, the addressee, the body, the signature and date, and the copy-to line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

RED = RGBColor(0xC0, 0x00, 0x00)
# GB/T 9704: body in 3号 仿宋 (16 pt), title in 2号 小标宋 (22 pt), 28 lines of 22 characters.
BODY_FONT, TITLE_FONT, ISSUER_FONT = "仿宋_GB2312", "方正小标宋简体", "方正小标宋简体"
BODY_SIZE, TITLE_SIZE, ISSUER_SIZE = Pt(16), Pt(22), Pt(26)
LINE_SPACING = Pt(28.9)  # 28 lines on the type area of an A4 page


@dataclass(frozen=True)
class OfficialDocument:
    """What an official document says, part by part."""

    issuer: str
    number: str | None
    title: str
    addressee: str
    body: list[str]
    signature: str
    date_text: str
    copied_to: list[str] = field(default_factory=list)


def to_docx(doc: OfficialDocument) -> bytes:
    """The document as DOCX bytes: A4, GB/T 9704 margins, fonts and parts."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _centred(document.add_paragraph(), doc.issuer, ISSUER_FONT, ISSUER_SIZE, RED)
    if doc.number:
        _centred(document.add_paragraph(), doc.number, BODY_FONT, BODY_SIZE)
    _rule(document.add_paragraph())
    _centred(document.add_paragraph(), doc.title, TITLE_FONT, TITLE_SIZE)
    _text(document.add_paragraph(), f"{doc.addressee}：", indent=False)
    for line in doc.body:
        _text(document.add_paragraph(), line)
    document.add_paragraph()
    _right(document.add_paragraph(), doc.signature)
    _right(document.add_paragraph(), doc.date_text)
    if doc.copied_to:
        document.add_paragraph()
        _text(document.add_paragraph(), f"抄送：{'、'.join(doc.copied_to)}。", indent=False)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _run(paragraph: Paragraph, text: str, font: str, size: Pt, colour: RGBColor | None) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size = font, size
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if colour is not None:
        run.font.color.rgb = colour
    paragraph.paragraph_format.line_spacing = LINE_SPACING


def _centred(
    paragraph: Paragraph, text: str, font: str, size: Pt, colour: RGBColor | None = None
) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font, size, colour)


def _text(paragraph: Paragraph, text: str, indent: bool = True) -> None:
    if indent:
        paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2  # two characters
    _run(paragraph, text, BODY_FONT, BODY_SIZE, None)


def _right(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.right_indent = BODY_SIZE * 4
    _run(paragraph, text, BODY_FONT, BODY_SIZE, None)


def _rule(paragraph: Paragraph) -> None:
    """The red rule under the document number (a paragraph's bottom border)."""
    borders = paragraph._p.get_or_add_pPr().makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "12", qn("w:color"): "C00000"}
    )
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
