"""The no-op engine, for benchmarks only: a tiny fixed article, instantly."""

from __future__ import annotations

from opad.engines.base import GenerationRequest, GenerationResult, ProgressFn, Source


class NoopEngine:
    """Measures the queue, not generation: no work, no I/O."""

    name = "noop"

    def generate(self, request: GenerationRequest, progress: ProgressFn) -> GenerationResult:
        """Return the fixed result."""
        return GenerationResult(
            title=f"No-op: {request.topic}",
            markdown=f"# No-op: {request.topic}\n\nThis is a benchmark article.\n",
            source=Source(name="noop"),
            word_count=5,
        )
