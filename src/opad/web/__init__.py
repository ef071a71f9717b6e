"""The web service: server-rendered pages that talk to the API over HTTP only."""
