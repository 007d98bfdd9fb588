"""The site sign (施工现场标示牌, DC1): the project and the people who answer for it, to print."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from keyproj.db.models import Project
from keyproj.policy import PolicyProfile
from keyproj.services.projects.teams import SIGN_LABELS, team_roles


@dataclass(frozen=True)
class SignLine:
    """One line of the sign: the role as DC1 words it, the person, their unit and phone."""

    role: str
    name: str
    detail: str
    phone: str


@dataclass(frozen=True)
class SiteSign:
    """What the sign shows; ``citation`` is the clause that asks for it."""

    title: str
    project: Project
    lines: list[SignLine]
    citation: str


def site_sign(project: Project, profile: PolicyProfile) -> SiteSign:
    """The sign of a project: one line per role the profile names, in its order, blanks kept."""
    members = {role: [m for m in project.team if m.role == role] for role in team_roles(profile)}
    lines = []
    for role, people in members.items():
        label = SIGN_LABELS.get(role, role.label)
        if not people:  # printed blank, to be filled in by hand
            lines.append(SignLine(label, "", "", ""))
        for member in people:
            detail = "　".join(p for p in (member.org_name, member.position) if p)
            lines.append(SignLine(label, member.name, detail, member.phone or ""))
    return SiteSign(
        f"{profile.profile.name}重点项目公示牌", project, lines, profile.cite("team.site_sign")
    )


def as_docx(sign: SiteSign) -> bytes:
    """The sign as a DOCX: the title, the project's facts, the table of people."""
    doc = Document()
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(sign.title)
    run.bold, run.font.size = True, Pt(26)
    name = doc.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    big = name.add_run(sign.project.name)
    big.bold, big.font.size = True, Pt(20)
    facts = [
        ("项目代码", sign.project.code),
        ("建设地点", sign.project.location or ""),
        ("建设单位", sign.project.construction_unit or ""),
    ]
    for label, value in facts:
        doc.add_paragraph(f"{label}：{value}")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, header in zip(
        table.rows[0].cells, ("职责", "姓名", "单位及职务", "联系电话"), strict=True
    ):
        cell.text = header
    for line in sign.lines:
        cells = table.add_row().cells
        for cell, value in zip(cells, (line.role, line.name, line.detail, line.phone), strict=True):
            cell.text = value
    doc.add_paragraph(f"依据：{sign.citation}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
