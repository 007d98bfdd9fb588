"""Migration 0028 (DC5): the projects' free-text chains become chains the projects point at."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from keyproj.db.migrate import alembic_config, current_revision
from keyproj.db.session import make_engine

PROJECT = (
    "INSERT INTO projects (id, code, name, level, nature, stage, total_investment, central_funds,"
    " government_invested, lead_unit_id, industry_chain, created_at, updated_at) VALUES"
    " ({id}, 'P{id}', '项目{id}', 'county', 'new', 'preparation', 100, 0, 1, 1, {chain},"
    " '2026-03-02 10:00:00', '2026-03-02 10:00:00')"
)


def test_0028_makes_a_chain_of_each_distinct_name_and_links_its_projects(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'chains.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0027_tours")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))  # the projects' unit aside
        for pid, chain in ((1, "'食品加工'"), (2, "' 食品加工 '"), (3, "'新材料'"), (4, "NULL")):
            conn.execute(text(PROJECT.format(id=pid, chain=chain)))
    command.upgrade(config, "0028_sitework")
    assert current_revision(engine) == "0028_sitework"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, id FROM industry_chains"))
        chains = {name: chain_id for name, chain_id in rows}
        assert sorted(chains) == ["新材料", "食品加工"]
        linked = conn.execute(text("SELECT id, chain_id FROM projects ORDER BY id")).all()
        food, new = chains["食品加工"], chains["新材料"]
        assert linked == [(1, food), (2, food), (3, new), (4, None)]
    command.downgrade(config, "0027_tours")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT industry_chain FROM projects ORDER BY id")).scalars()
        assert list(kept) == ["食品加工", " 食品加工 ", "新材料", None]
