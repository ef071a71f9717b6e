"""A reading's markdown as the learner sees it: sanitized HTML, then its prose blocks.

- `render`: markdown → sanitized HTML (and the pattern that finds vocabulary words);
- `blocks`: that HTML → its prose blocks and text nodes, in page order.

Pure text functions with no web framework and no language analyzer: the worker's analysis
(opad.reading.analyze) reads the blocks' text, the reader (opad.web.reader) lays the
stored tokens back onto the same text nodes.
"""
