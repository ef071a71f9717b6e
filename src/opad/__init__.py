"""OPAD: news and your own texts, rewritten at your CEFR level."""
