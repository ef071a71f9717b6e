"""The worker: claims jobs from Redis, runs the engine, stores the result."""
