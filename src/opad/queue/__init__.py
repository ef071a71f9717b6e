"""The Redis queue and live job status: the original OPAD protocol (docs/protocol.md)."""
