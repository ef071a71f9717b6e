"""What the API and the worker do with articles and jobs, independent of HTTP and Redis loops."""
