"""Consistency of the deployment files: Dockerfile, compose.yaml, .env.example."""
