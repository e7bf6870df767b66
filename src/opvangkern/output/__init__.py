"""Presenting a dashboard: text, files (CSV, Parquet, Arrow, XLSX), the HTML page, pandas."""
