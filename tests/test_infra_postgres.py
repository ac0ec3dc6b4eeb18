"""The postgres_url fixture gives a real, writable PostgreSQL database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres


def test_postgres_answers_and_keeps_a_table(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    table = sa.Table(
        "infra_probe",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.select(sa.literal(1))).scalar_one() == 1
            assert conn.execute(sa.text("select current_database()")).scalar_one() == "mot_test"
            table.create(conn)
            conn.execute(sa.insert(table), [{"id": 1, "name": "first"}, {"id": 2, "name": "zweite"}])
        with engine.connect() as conn:
            rows = conn.execute(sa.select(table.c.id, table.c.name).order_by(table.c.id)).all()
        assert [tuple(row) for row in rows] == [(1, "first"), (2, "zweite")]
    finally:
        with engine.begin() as conn:
            table.drop(conn, checkfirst=True)
        engine.dispose()
