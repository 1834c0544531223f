"""The library's tables (SQLAlchemy 2 Core), as the migrations in `migrations/` leave them.

Only the migrations create or change tables; this module describes them for queries."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

workspaces = Table(
    "workspaces", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, unique=True),
    Column("code_hash", String(128)),  # None: no code needed (the default workspace)
    Column("code_salt", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

deals = Table(
    "deals", metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Integer, ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True)),  # in the trash since
    UniqueConstraint("workspace_id", "name_key", name="uq_deals_workspace_name"),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("body", Text, nullable=False),  # the deal JSON as obc_calc.io.dealfile.deal_to_json writes it
    Column("note", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("signed_at", DateTime(timezone=True)),
    Column("amends", Integer),  # the signed version this one amends
    UniqueConstraint("deal_id", "number", name="uq_versions_deal_number"),
)

# Monitoring (migration 0003): aggregates only, never a student's row. A body is JSON.
snapshots = Table(
    "snapshots", metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False),
    Column("version", Integer, nullable=False),  # the deal version the results were checked against
    Column("as_of", Date, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # per outcome: in file, served, eligible, achievers, missing
)

commitment_records = Table(
    "commitment_records", metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # met, at_risk or missed
    Column("as_of", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

invoices = Table(
    "invoices", metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", Integer, ForeignKey("deals.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("period", Text, nullable=False),
    Column("invoice_date", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # the lines: name, earned, invoiced_before, payment
    Column("total", Float, nullable=False),  # the amount due now, to the cent
)
