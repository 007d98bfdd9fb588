"""Ledger import benchmark: a 50,000-row 台账 workbook imported as ``keyproj import projects`` does.

Each run is timed in a child process of its own, which reports its own peak resident memory
(``ru_maxrss``); the workbooks are generated in other children, as Linux carries a parent's
peak into the children it starts. The figure includes the child's interpreter and imports,
as the command's would, and ``cpu_s`` its CPU time (the machine may be shared). Per database:
a file whose last rows hold one bad cell is refused (``reject_s``), then the good file is
imported into the empty ledger with an approved plan per row (``import_s``); both are written
as Excel and WPS save a workbook. Then the same ledger as the export writes it (openpyxl, text
inline in the cells, which openpyxl reads about half as fast) is imported again, every project
updated (``reimport_s``). Every project carries its plan's monthly breakdown on the
「年度计划分解」 sheet (twelve rows a project; ``--months 0`` leaves the sheet out). SQLite, plus
PostgreSQL when KEYPROJ_TEST_DATABASE_URL is set; the headline figures are PostgreSQL's when it ran.

    .venv/bin/python bench/ledger.py [--rows 50000] [--months 12] [--workbooks DIR]

``--workbooks DIR`` keeps the three workbooks in DIR and uses those already there (generating
them takes minutes): a run before and one after a change then import the same files.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

import xlsxwriter
from openpyxl import Workbook
from sqlalchemy import Engine, insert

from bench.common import backends
from keyproj.clock import BEIJING
from keyproj.db.models import Unit
from keyproj.db.session import make_engine, make_session_factory, unit_of_work
from keyproj.errors import ImportRowError
from keyproj.services.projects.ledger.breakdown import BREAKDOWN_COLUMNS, BREAKDOWN_TITLE
from keyproj.services.projects.ledger.columns import COLUMNS
from keyproj.services.projects.ledger.importing import import_projects

YEAR = 2026
UNITS = 200
LEADERS = 50
BAD_TOTAL = "-1"  # the one bad cell of the refused file: a negative 总投资


def ledger_row(n: int) -> list[Any]:
    """The cells of data row ``n``, in the order of the export's columns."""
    return [
        n + 1,
        f"基准项目{n:05d}号道路改造工程",
        f"2026-441623-48-01-{n:06d}",
        ("县重点", "市重点", "省重点")[n % 3],
        ("新开工", "续建")[n % 2],
        ("前期手续", "主体施工")[n % 2],
        12000 + n % 997 + 0.5,
        "否" if n % 5 else "是",
        "是",
        1000 + n % 500,
        f"基准单位{n % UNITS:04d}",
        f"第{n % 40}建设有限公司",
        f"领导{n % LEADERS:02d}",
        f"示范县第{n % 30}镇",
        ("新能源", "文旅", "交通")[n % 3],
        date(2025, 12, 1),
        date(2026, 3, 1),
        date(2027, 6, 30),
    ]


def breakdown_rows(n: int, months: int) -> list[list[Any]]:
    """The breakdown of row ``n``'s annual plan over its first ``months`` months."""
    annual, code = 1000 + n % 500, f"2026-441623-48-01-{n:06d}"
    share = annual // months if months else 0
    out = []
    for month in range(1, months + 1):
        amount = share if month < months else annual - share * (months - 1)
        pct = round(100 * month / months, 1)
        out.append([code, f"2026-{month:02d}", amount, pct, f"第{month}月节点", None])
    return out


def write_ledger(
    path: Path, rows: int, bad_row: int | None = None, style: str = "excel", months: int = 12
) -> None:
    """A ledger workbook of ``rows`` data rows; ``bad_row`` (0-based) gets a negative total.

    ``excel`` writes it as Excel and WPS save a file (text in a shared-string table, XlsxWriter);
    ``export`` as the export writes it (openpyxl: text inline in each cell, slower to read).
    """
    cells = ([c.header for c in COLUMNS], *(_row(n, bad_row) for n in range(rows)))
    periods = [[c.header for c in BREAKDOWN_COLUMNS]] if months else []
    for n in range(rows if months else 0):
        periods.extend(breakdown_rows(n, months))
    if style == "export":
        book = Workbook()
        sheet = book.active
        sheet.title = "重点项目台账"
        for line in cells:
            sheet.append(line)
        if periods:
            second = book.create_sheet(BREAKDOWN_TITLE)
            for line in periods:
                second.append(line)
        book.save(path)
        return
    # Not constant_memory: that mode writes the text inline, as Excel never does.
    with xlsxwriter.Workbook(path) as excel:
        page = excel.add_worksheet("重点项目台账")
        day = excel.add_format({"num_format": "yyyy-mm-dd"})
        for number, line in enumerate(cells):
            for column, value in enumerate(line):
                if isinstance(value, date):
                    page.write_datetime(number, column, value, day)
                else:
                    page.write(number, column, value)
        if periods:
            second = excel.add_worksheet(BREAKDOWN_TITLE)
            for number, line in enumerate(periods):
                for column, value in enumerate(line):
                    second.write(number, column, value)


def _row(n: int, bad_row: int | None) -> list[Any]:
    cells = ledger_row(n)
    if n == bad_row:
        cells[6] = BAD_TOTAL
    return cells


def add_units(engine: Engine) -> None:
    """The units the ledger's rows name as 牵头责任单位."""
    now = datetime.now(BEIJING)
    with engine.begin() as conn:
        conn.execute(
            insert(Unit),
            [
                {
                    "code": f"B{n:04d}",
                    "name": f"基准单位{n:04d}",
                    "kind": "town",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(UNITS)
            ],
        )


def generate(
    path: Path, rows: int, bad_row: int | None = None, style: str = "excel", months: int = 12
) -> None:
    """Write the workbook in a child process: Linux carries a parent's peak memory into the
    ``ru_maxrss`` of the children it starts, so this process must stay small."""
    bad = [] if bad_row is None else ["--bad-row", str(bad_row)]
    command = [sys.executable, __file__, "--write", str(path), "--rows", str(rows), *bad]
    subprocess.run([*command, "--style", style, "--months", str(months)], check=True)


def timed_child(url: str, path: Path) -> dict[str, Any]:
    """Import ``path`` in a child process; its seconds, peak memory and outcome."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(url: str, path: str) -> None:
    """The child's run: one import in one transaction, as the command does it."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    outcome: dict[str, Any]
    # The CPU time of the start-up (interpreter, imports, engine) is left out of cpu_s.
    before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        with unit_of_work(sessions) as session:
            result = import_projects(session, Path(path), YEAR, "monthly")
        outcome = {"created": result.created, "updated": result.updated}
        outcome |= {"plans_filed": result.plans_filed, "leaders_added": result.leaders_added}
    except ImportRowError as exc:
        outcome = {"refused": exc.lines()[:1]}
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    figures = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2)}
    figures["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    print(json.dumps(figures | outcome))


def run_backend(name: str, database: Any, files: dict[str, Path]) -> dict[str, Any]:
    """Refuse, import and re-import on a fresh database of one backend."""
    with database() as engine:
        add_units(engine)
        url = engine.url.render_as_string(hide_password=False)
        reject = timed_child(url, files["bad"])
        first = timed_child(url, files["good"])
        again = timed_child(url, files["export"])
    if "refused" in first or "refused" in again or "refused" not in reject:
        raise SystemExit(f"{name}: unexpected outcome: {reject}, {first}, {again}")
    print(f"{name}: refused in {reject['seconds']} s: {reject}")
    print(f"{name}: imported in {first['seconds']} s: {first}")
    print(f"{name}: re-imported (export format) in {again['seconds']} s: {again}")
    return {
        "import_s": first["seconds"],
        "import_cpu_s": first["cpu_s"],
        "peak_rss_mb": first["peak_rss_mb"],
        "created": first.get("created"),
        "plans_filed": first.get("plans_filed"),
        "reject_s": reject["seconds"],
        "reject_cpu_s": reject["cpu_s"],
        "reject_peak_rss_mb": reject["peak_rss_mb"],
        "reimport_s": again["seconds"],
        "reimport_cpu_s": again["cpu_s"],
        "reimport_peak_rss_mb": again["peak_rss_mb"],
        "updated": again.get("updated"),
    }


def make_workbooks(files: dict[str, Path], rows: int, months: int) -> None:
    """The good, the refused and the export-style workbook, each written by a child."""
    started = time.perf_counter()
    generate(files["good"], rows, months=months)
    generate(files["bad"], rows, bad_row=rows - 10, months=months)
    generate(files["export"], rows, style="export", months=months)
    print(f"generated three workbooks of {rows} rows in {time.perf_counter() - started:.1f} s")


def main() -> None:
    """Generate the workbooks, run every backend and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bad-row", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--style", default="excel", help=argparse.SUPPRESS)
    parser.add_argument("--months", type=int, default=12, help="breakdown rows a project (0: none)")
    parser.add_argument("--workbooks", type=Path, help="keep (and reuse) the workbooks here")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.write:
        write_ledger(args.write, args.rows, args.bad_row, args.style, args.months)
        return
    figures: dict[str, Any] = {"rows": args.rows, "breakdown_rows": args.rows * args.months}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workbooks or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = {name: folder / f"{name}.xlsx" for name in ("good", "bad", "export")}
        if all(path.exists() for path in files.values()):
            print(f"using the workbooks in {folder} (their rows and months as generated)")
        else:
            make_workbooks(files, args.rows, args.months)
        for name, database in backends():
            figures[name] = run_backend(name, database, files)
    headline = figures.get("postgresql") or figures["sqlite"]
    figures.update({k: headline[k] for k in ("import_s", "peak_rss_mb", "reject_s")})
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
