"""The quality report: OPAD's no-LLM engine run over a fixed grid, measured, and written
to docs/quality.md (`make quality` / `opad eval`). Metrics are small pure functions
(metrics.py); the runner (runner.py) and the markdown writer (report.py) use them."""
