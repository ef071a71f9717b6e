"""The reading a learner reads, as one typed value: its model, its markdown layout
(the only parser and writer of it), and its analysis (done once, in the worker)."""
