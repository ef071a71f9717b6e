"""OPAD: news and your own texts as readings at your CEFR level (the leveler keeps and
orders the source's own sentences; the crew engine rewrites with an LLM)."""
