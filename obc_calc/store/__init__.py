"""The deal library: deals, their versions, signed contracts and workspaces in a database
(SQLite by default, PostgreSQL for a shared server). See docs/library.md."""

from obc_calc.store.library import DealSummary, Library, LibraryError, VersionInfo, Workspace

__all__ = ["DealSummary", "Library", "LibraryError", "VersionInfo", "Workspace"]
