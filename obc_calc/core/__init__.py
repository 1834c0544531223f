"""The domain: the deal, its payment rules and every figure computed from it (no files, no UI)."""
