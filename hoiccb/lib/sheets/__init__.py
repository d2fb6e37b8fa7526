"""Spreadsheets as users send them: safe reading, cell text, headings and footers of lists."""
