"""Content of the demo county (示范县): name lists, 52 projects, and the arithmetic of their year.

Nothing here touches the database; ``keyproj.demo.loader`` loads it through the services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from keyproj import periods

DEMO_PASSWORD = "Demo#2026"  # the one documented password of every demo account
DIVISION_CODE = "441623"  # fixed 6-digit division code used in every demo 项目代码

TOWN_NAMES = "城关镇 东山镇 西河镇 南岭镇 北湖镇 青石镇 白沙镇 金田镇"
DEPARTMENT_NAMES = (
    "县发展和改革局 县交通运输局 县住房和城乡建设局 县水利局 县教育局 县卫生健康局 "
    "县工业和信息化局 县自然资源局 县农业农村局 县文化广电旅游体育局"
)
TOWNS = tuple((f"TOWN{i:02d}", name) for i, name in enumerate(TOWN_NAMES.split(), start=1))
DEPARTMENTS = tuple((f"DEPT{i:02d}", n) for i, n in enumerate(DEPARTMENT_NAMES.split(), start=1))

# (title, lead units the leader is linked to); every town and department has one leader.
LEADER_TITLES = (
    ("县委副书记、县长", ("TOWN01",)),
    ("县委常委、常务副县长", ("DEPT01", "DEPT07")),
    ("县委常委、副县长", ("DEPT02", "TOWN08")),
    ("副县长", ("DEPT04", "DEPT09")),
    ("副县长", ("DEPT03", "DEPT08")),
    ("副县长", ("DEPT05", "DEPT06")),
    ("副县长", ("DEPT10", "TOWN07")),
    ("县委常委、组织部部长", ("TOWN02",)),
    ("县委常委、宣传部部长", ("TOWN03",)),
    ("县委常委、政法委书记", ("TOWN04",)),
    ("县人大常委会副主任", ("TOWN05",)),
    ("县政协副主席", ("TOWN06",)),
)

# Office accounts: (username, roles, unit code, position).
OFFICE_ACCOUNTS = (
    ("admin", ("admin",), "ZDB", "系统管理员"),
    ("zdb", ("key_office",), "ZDB", "重点办主任"),
    ("zdb2", ("key_office",), "ZDB", "重点办科员"),
    ("xfb", ("county_gov",), "XFB", "县府办副主任"),
    ("dcs", ("supervision",), "DCS", "督查室主任"),
    ("auditor", ("auditor",), "DCS", "审计人员"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰建国志红海波宁鹏飞辉斌晨亮文博雪梅新宇佳琳振东春林"
MOBILE_PREFIXES = tuple(f"1{n}" for n in (35, 36, 37, 38, 39, 50, 51, 52, 58, 59, 87, 88))

# Construction slows in Jan–Feb (frost, Spring Festival): monthly weights of planned investment.
SEASON = (2, 3, 8, 9, 10, 10, 9, 9, 10, 10, 10, 10)
# Nature → (share of the total done before this year, share planned for this year).
SHARES = {
    "continued": ((0.15, 0.55), (0.25, 0.45)),
    "completed": ((0.6, 0.85), (1.0, 1.0)),
    "new": ((0.0, 0.0), (0.2, 0.5)),
    "preliminary": ((0.0, 0.0), (0.02, 0.06)),
}
# AL6 approval procedures of a project under way, and of one still preparing.
_ITEMS = "feasibility site_selection environment land energy project_approval design"
DONE = {
    item: {"status": "not_needed" if item == "energy" else "approved"}
    for item in [*_ITEMS.split(), "water_conservation", "tendering"]
}
PENDING = {
    "feasibility": {"status": "approved"},
    "site_selection": {"status": "approved"},
    "environment": {"status": "in_progress"},
    "land": {"status": "in_progress", "note": "用地报批材料已上报"},
    "design": {"status": "in_progress"},
    "tendering": {"status": "not_started"},
}


@dataclass(frozen=True)
class Sector:
    """A sector's 项目代码 industry digits, investment range (万元) and physical-progress phrases."""

    industry: str
    low: int
    high: int
    phrases: str

    @property
    def steps(self) -> tuple[str, ...]:
        """The four phrases of physical progress, in order."""
        return tuple(self.phrases.split("、"))


SECTORS = {
    "road": Sector("48", 6000, 45000, "路基土石方施工、桥涵结构物施工、路面基层施工、沥青面层摊铺"),
    "bridge": Sector("48", 3000, 20000, "桩基施工、承台及墩柱施工、上部结构架设、桥面系施工"),
    "water": Sector("76", 2000, 30000, "围堰及导流施工、坝体加固施工、溢洪道改造、金属结构安装"),
    "supply": Sector("46", 3000, 40000, "水厂土建施工、主干管网铺设、入户管网铺设、设备安装调试"),
    "sewage": Sector("46", 2000, 15000, "构筑物土建施工、配套管网铺设、设备安装、联动调试"),
    "housing": Sector("47", 1500, 40000, "基础施工、主体结构施工、外立面及管网改造、配套设施建设"),
    "school": Sector("83", 2000, 30000, "桩基施工、主体结构施工、砌体及装饰装修、室外配套工程"),
    "hospital": Sector(
        "84", 5000, 45000, "基坑支护及桩基施工、主体结构施工、机电安装、医用设备安装"
    ),
    "industry": Sector("30", 5000, 45000, "场地平整、厂房主体施工、钢结构安装、设备安装调试"),
    "energy": Sector("44", 3000, 40000, "场地清理、支架基础施工、组件及设备安装、并网调试"),
    "farm": Sector("01", 800, 20000, "土地平整、灌排渠系施工、田间道路施工、配套设施建设"),
    "tourism": Sector("78", 2000, 40000, "场地平整、游客中心主体施工、景观工程施工、配套设施建设"),
    "culture": Sector("88", 3000, 25000, "基础施工、主体结构施工、装饰装修、布展及设备安装"),
    "ecology": Sector("77", 1500, 15000, "危岩清理、边坡治理、土壤改良、植被复绿"),
    "market": Sector("51", 800, 5000, "旧建筑拆除、主体结构施工、装饰装修、配套设施建设"),
}


@dataclass(frozen=True)
class ProjectSpec:
    """One demo project; ``big`` projects get ≥ 5亿元 (LP10), ``private`` ones are enterprise-invested."""

    lead: str
    name: str
    sector: str
    builder: str
    big: bool = False
    private: bool = False
    chain: str | None = None


BUILDERS = {
    "城投": "示范县城市建设投资有限公司",
    "交投": "示范县交通建设投资有限公司",
    "水投": "示范县水利建设投资有限公司",
    "园投": "示范县产业园区开发建设有限公司",
    "旅投": "示范县文化旅游投资有限公司",
    "农投": "示范县农业发展投资有限公司",
}
# lead unit | project name | sector | construction unit (or a BUILDERS key) | flags | industry chain
PROJECT_TABLE = """
DEPT02|国道G236线示范县城区段改线工程|road|交投|big
DEPT02|省道S340线东山至西河段公路改建工程|road|交投
DEPT02|县道X215线南岭至青石段公路改建工程|road|交投
DEPT02|示范县农村公路提质改造工程|road|交投
DEPT02|北湖大桥新建工程|bridge|交投
TOWN03|西河镇白石渡大桥危桥改造工程|bridge|交投
DEPT02|示范县城乡客运综合枢纽站建设项目|housing|交投
DEPT04|青石水库除险加固工程|water|水投
DEPT04|白沙河流域综合治理工程|water|水投
DEPT04|示范县城乡供水一体化工程（一期）|supply|水投|big
TOWN04|南岭镇农村供水管网改造工程|supply|水投
DEPT03|县城污水处理厂提标改造工程|sewage|城投
TOWN02|东山镇污水处理厂及配套管网工程|sewage|城投
TOWN08|金田镇生活污水收集管网工程|sewage|城投
TOWN01|城关镇老旧小区改造项目（一期）|housing|城投
DEPT03|县城棚户区改造安置房项目|housing|城投|big
DEPT03|城南片区城市更新项目|housing|城投
DEPT03|县城雨污分流改造及地下综合管廊工程|sewage|城投
DEPT05|示范县第一中学新校区建设项目|school|示范县教育发展有限公司
DEPT05|城关镇第二小学教学楼建设项目|school|示范县教育局
DEPT05|县职业技术学校实训楼建设项目|school|示范县职业技术学校
TOWN05|北湖镇中心幼儿园建设项目|school|示范县教育局
DEPT06|县人民医院门诊综合楼建设项目|hospital|示范县人民医院
DEPT06|县中医院住院综合楼建设项目|hospital|示范县中医院
DEPT06|县疾病预防控制中心业务楼建设项目|hospital|示范县疾病预防控制中心
TOWN06|青石镇卫生院改扩建工程|hospital|示范县青石镇卫生院
DEPT07|示范县产业园标准化厂房建设项目（二期）|industry|园投||新材料产业链
DEPT07|年产5万吨新型建材生产线项目|industry|示范县鑫磊新型建材有限公司|private|新材料产业链
DEPT07|电子信息产业园配套基础设施工程|industry|园投||电子信息产业链
DEPT09|农产品冷链物流园建设项目|industry|农投||绿色食品产业链
TOWN07|白沙镇食品加工产业园项目|industry|示范县白沙食品有限公司|private|绿色食品产业链
TOWN08|金田镇新能源电池配件生产项目|industry|示范县金田新能源科技有限公司|big private|新能源产业链
TOWN02|东山镇50MW农光互补光伏发电项目|energy|示范县东山光伏发电有限公司|big private|新能源产业链
DEPT01|县城区屋顶分布式光伏项目|energy|示范县绿能新能源有限公司|private
DEPT01|示范县天然气管网延伸工程|energy|示范县天然气有限公司|private
DEPT01|220千伏西河输变电工程|energy|示范县供电公司
DEPT09|示范县高标准农田建设项目（2万亩）|farm|农投
TOWN03|西河镇高标准农田建设项目|farm|农投
TOWN04|南岭镇茶叶产业园建设项目|farm|示范县南岭茶业有限公司|private|茶产业链
TOWN05|北湖镇现代渔业示范基地|farm|农投
DEPT10|青石山景区提升改造工程|tourism|旅投||文旅产业链
DEPT10|示范县全民健身中心建设项目|culture|旅投
TOWN07|白沙古镇文旅融合开发项目|tourism|示范县白沙古镇文旅开发有限公司|private|文旅产业链
DEPT10|县图书馆文化馆新馆建设项目|culture|旅投
DEPT08|历史遗留废弃矿山生态修复工程|ecology|示范县自然资源局
DEPT08|全域土地综合整治试点项目|farm|示范县自然资源局
TOWN01|城关镇农贸市场改造提升项目|market|城投
TOWN02|东山镇集镇道路改造工程|road|城投
TOWN06|青石镇美丽乡村示范片建设项目|farm|农投
TOWN08|金田镇工业园区道路及配套工程|road|园投
DEPT03|县城公共停车场及充电设施建设项目|market|城投
TOWN01|城关镇滨河公园建设工程|tourism|城投
"""


def _spec(line: str) -> ProjectSpec:
    lead, name, sector, builder, flags, chain = [*line.split("|"), "", ""][:6]
    big, private = "big" in flags.split(), "private" in flags.split()
    return ProjectSpec(
        lead, name, sector, BUILDERS.get(builder, builder), big, private, chain or None
    )


PROJECTS = tuple(_spec(line) for line in PROJECT_TABLE.strip().splitlines())

# Issue titles per LP7 category (keyproj.codes.ISSUE_CATEGORIES), "|"-separated.
ISSUE_TITLES = {
    "approval": "项目用地预审与选址意见书尚未取得|环境影响评价批复办理滞后|"
    "施工许可证办理受阻，消防设计审查未通过",
    "planning_design": "设计方案调整导致概算超出批复10%以上，需重新报批|"
    "规划线位与既有管线冲突，需调整设计",
    "land": "剩余12户房屋征收补偿协议未签订|3.2亩集体土地征收补偿未到位，村民阻工|"
    "征地红线内坟墓迁移未完成",
    "funding": "中央预算内资金尚未下达，配套资金缺口约2000万元|"
    "专项债券资金拨付滞后，施工单位垫资压力大",
    "coordination": "10千伏高压线迁改未完成，影响桩基施工|与市政管网接驳需住建部门协调|"
    "交通导改方案待交警部门审批",
    "stability": "周边群众反映夜间施工噪音扰民|部分农民工工资拖欠引发信访",
    "other": "受持续降雨影响土石方施工暂停|砂石材料价格上涨、供应紧张",
}
ISSUES = {category: tuple(titles.split("|")) for category, titles in ISSUE_TITLES.items()}
# Which unit coordinates a category (LP14–16): "town" is the project's town, "lead" its lead unit.
ISSUE_OWNERS = {
    "approval": "DEPT08",
    "planning_design": "DEPT03",
    "land": "town",
    "funding": "DEPT01",
    "coordination": "lead",
    "stability": "town",
    "other": "lead",
}
RESOLUTIONS = (
    "经县政府专题会议协调，相关手续已办结",
    "责任单位现场办公，问题已解决",
    "资金已拨付到位，施工恢复正常",
    "已与群众达成一致，现场恢复施工",
)

NOT_STARTED_REASONS = (
    "用地报批手续尚在省自然资源厅审批中",
    "施工图设计审查未完成",
    "征地拆迁工作尚未完成",
    "资金筹措方案未落实",
    "施工招标正在进行",
)
LAG_MEASURES = (
    "倒排工期，增加施工班组和机械设备",
    "提请县领导现场协调，压实施工单位责任",
    "实行周调度，加快要素保障",
)


# --- one project's year (no database) ------------------------------------------------------

Row = tuple[periods.Period, Decimal, Decimal]  # breakdown period, planned investment, cumulative %


@dataclass
class Scheme:
    """One project's year as the demo imagines it: plan figures, performance, start date."""

    spec: ProjectSpec
    nature: str
    track: str  # on_track, lagging or not_started
    town: str  # where the site lies (LP14: land and stability issues go to that town)
    total: int
    prior: int  # 万元 completed before this year
    annual: int
    approved_on: date
    planned_start: date
    planned_completion: date
    start: date | None  # actual start (may lie after today); None: not this year
    factor: float  # actual ÷ planned progress
    rows: list[Row] = field(default_factory=list)
    issue: str | None = None  # the first ledger entry, quoted in lagging reports

    @property
    def prior_pct(self) -> float:
        """Physical progress before this year."""
        return round(self.prior / self.total * 100, 1)

    @property
    def end_pct(self) -> float:
        """Physical progress planned by year end (preparatory spending builds nothing)."""
        done = (self.prior + self.annual) / self.total * 100
        return 0.0 if self.nature == "preliminary" else done


def person(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """A fictional name not in ``taken`` (then added to it) and an 11-digit mobile number."""
    name = ""
    while not name or name in taken:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, k=rng.choice((1, 2, 2))))
    taken.add(name)
    return name, rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _day(rng: random.Random, year: int, first_month: int, last_month: int) -> date:
    return date(year, rng.randint(first_month, last_month), rng.randint(1, 28))


def draw_scheme(
    rng: random.Random, spec: ProjectSpec, nature: str, track: str, today: date
) -> Scheme:
    """Figures and dates of one project for ``today``'s year."""
    year, sector = today.year, SECTORS[spec.sector]
    total = rng.randint(5000, 15000) * 10 if spec.big else rng.randint(sector.low, sector.high)
    approved = min(today, date(year, 1, 1) + timedelta(days=rng.randint(0, 80)))
    before, planned = SHARES[nature]
    prior = int(total * rng.uniform(*before))
    annual = min(total - prior, max(1, int(total * rng.uniform(*planned))))
    if nature in ("continued", "completed"):
        start = _day(rng, year - rng.choice((1, 1, 2)), 3, 11)
        finish = _day(rng, year + rng.randint(1, 2), 1, 12)
        finish = _day(rng, year, 6, 12) if nature == "completed" else finish
    else:
        start = _day(rng, year, 2, 7) if nature == "new" else _day(rng, year + 1, 3, 6)
        finish = _day(rng, start.year + rng.randint(1, 3), 1, 12)
    actual: date | None = None if track == "not_started" else start
    if nature == "new" and actual is not None:  # late starters lag
        slip = rng.randint(-10, 0) if track == "on_track" else rng.randint(15, 45)
        actual = start + timedelta(days=slip)
    factor = rng.uniform(0.96, 1.06) if track == "on_track" else rng.uniform(0.5, 0.82)
    town = spec.lead if "TOWN" in spec.lead else rng.choice(TOWNS)[0]
    return Scheme(
        spec, nature, track, town, total, prior, annual, approved, start, finish, actual, factor
    )


def breakdown(s: Scheme, year: int, kind: str) -> list[Row]:
    """The plan per breakdown period: investment summing to the annual figure, cumulative %."""
    first, last = (1, 12) if s.prior else (s.approved_on.month, 12)
    if s.nature == "new":
        first = s.planned_start.month
    elif s.nature == "completed":
        last = s.planned_completion.month
    weights = [w if first <= m <= last else 0 for m, w in enumerate(SEASON, start=1)]
    monthly = [s.annual * w // sum(weights) for w in weights]
    monthly[last - 1] += s.annual - sum(monthly)
    groups = (
        [[m] for m in range(12)] if kind == "monthly" else [[q, q + 1, q + 2] for q in (0, 3, 6, 9)]
    )
    rows, done = [], 0
    for n, months in enumerate(groups, start=1):
        amount = sum(monthly[m] for m in months)
        done += amount
        pct = s.prior_pct + (s.end_pct - s.prior_pct) * done / s.annual
        key = f"{year}-{n:02d}" if kind == "monthly" else f"{year}-Q{n}"
        rows.append((periods.parse(kind, key), Decimal(amount), Decimal(str(round(pct, 1)))))
    return rows


def milestone(s: Scheme, pct: Decimal, amount: Decimal) -> str | None:
    """The physical milestone a breakdown period aims at."""
    if not amount:
        return None
    return "推进前期手续办理" if s.nature == "preliminary" else step(s, float(pct))


def step(s: Scheme, pct: float) -> str:
    """The sector's phrase for a project ``pct`` % done."""
    return SECTORS[s.spec.sector].steps[min(3, int(pct // 25))]


def planned_by(rows: list[Row], start_pct: float, day: date) -> tuple[float, float]:
    """The year's planned investment and cumulative % by ``day``, linear within a period."""
    amount, pct = 0.0, start_pct
    for period, planned, planned_pct in rows:
        if day >= period.end:
            amount, pct = amount + float(planned), float(planned_pct)
            continue
        if day >= period.start:
            share = ((day - period.start).days + 1) / ((period.end - period.start).days + 1)
            amount, pct = amount + float(planned) * share, pct + (float(planned_pct) - pct) * share
        break
    return amount, pct


def progress(
    s: Scheme, period: periods.Period, as_of: date, noise: float, state: list[float]
) -> tuple[Decimal, Decimal, str]:
    """Year-to-date investment, cumulative % and start status reported for ``period``.

    ``state`` carries the previous period's figures: neither ever goes down.
    """
    plan_amount, plan_pct = planned_by(s.rows, s.prior_pct, period.end)
    cap = s.total - s.prior
    amount = max(state[0], min(cap, plan_amount * s.factor * noise))
    pct = max(state[1], min(100.0, s.prior_pct + (plan_pct - s.prior_pct) * s.factor * noise))
    status = "started"
    if s.nature == "completed" and s.track == "on_track" and as_of >= s.planned_completion:
        amount, pct, status = float(cap), 100.0, "completed"
    state[:] = [amount, pct]
    return Decimal(str(round(amount, 2))), Decimal(str(round(pct, 1))), status
