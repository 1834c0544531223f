"""File formats: deal JSON, share links, rate-card and results files, the budget and invoice
workbooks. Reads bytes into the core's types and writes them back; no domain rules here."""
