"""Member lists in from Excel, ODS and CSV files: read, map columns, preview, commit, undo."""
