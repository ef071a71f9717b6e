"""The language tier: OPAD's text rules checked against the real language data they read.

These tests load what a reading is made from — word lists and frequency tables, the
tokenizers and sentence splitters of each language (the Korean, Japanese and Chinese
analyzers included), the installed dictionaries, the starter library and the quality grid
— so each file pays seconds of loading before its first assertion. They need no Redis, no
database and no running service. The business rules that need none of this data (job
states and decisions, limits, ownership, input validation, the protocol's payloads, prices,
settings) are in tests/unit, which `make test-fast` runs in seconds; `make test` runs both.
"""
