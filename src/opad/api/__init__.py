"""The API service: stores articles and enqueues jobs; never runs generation."""
