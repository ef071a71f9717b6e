"""The unit tier: OPAD's business rules as plain functions and values, each provable in
milliseconds — job states and transitions, what happens after a run (`decide`), rate and
login limits, ownership, input validation, the protocol's payloads, prices, settings.

No Redis, no database, no language data (word lists, tokenizers, dictionaries, the quality
grid: tests/language) and no subprocess; `make test-fast` runs this tier alone.
"""
