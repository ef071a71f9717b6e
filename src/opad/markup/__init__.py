"""A reading's markdown as the learner sees it: sanitized HTML, then its words and sentences.

- `render`: markdown → sanitized HTML (and the vocabulary words found in it);
- `word_markup`: that HTML → each word wrapped for lookup, each sentence numbered.

Pure text functions with no web framework: the reader (opad.web) and the audio step
(opad.audio) both use them, so sentence N of the audio is sentence N on the page.
"""
