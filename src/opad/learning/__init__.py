"""The learner's words: states, review scheduling (FSRS), cloze cards and exports.

Pure logic without a database; `opad.services.words` stores what it computes.
"""
