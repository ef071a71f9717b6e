"""The web's pages, one module per area: generate, jobs, articles (reader), library."""
