# syntax=docker/dockerfile:1.7
# Build: docker build -t touchstone .
# Migrate once per deployment:  docker run --rm --env-file .env touchstone touchstone migrate
# Serve (any number of instances): docker run --env-file .env -p 8000:8000 touchstone

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
# Dependencies first, from the lock file only: this layer is reused until uv.lock changes.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-project
COPY pyproject.toml uv.lock README.md babel.cfg ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY questions ./questions
# The project is installed editable on purpose: the code finds templates/, migrations/ and questions/
# beside app/ in /app.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    TOUCHSTONE_ENVIRONMENT=production
# X-Forwarded-For/-Proto are trusted only from TOUCHSTONE_FORWARDED_ALLOW_IPS (default 127.0.0.1): set it to
# your reverse proxy's address (docker run -e TOUCHSTONE_FORWARDED_ALLOW_IPS=10.0.0.5). Trusting "*" would
# let any client choose the address every per-address limit and the audit log see.
# WeasyPrint (the report PDFs) draws text with Pango, HarfBuzz and fontconfig, in a font that is installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system touchstone && useradd --system --gid touchstone --home-dir /app touchstone
WORKDIR /app
COPY --from=build --chown=touchstone:touchstone /app /app
RUN mkdir -p /app/data && chown touchstone:touchstone /app/data
USER touchstone
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrations are a separate step (`touchstone migrate`), never run by every worker at start.
CMD ["touchstone", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
