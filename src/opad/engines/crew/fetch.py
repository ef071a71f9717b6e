"""The crew's page fetcher now lives in `opad.engines.fetcher` (the leveler reads news too)."""

from opad.engines.fetcher import Fetcher

__all__ = ["Fetcher"]
