# The WorkSpace api and worker (one image, two commands; see compose.yaml).
#
# Base images are build args so hosts without a registry can point them at local images:
# `scripts/build-images.sh app` builds this file from workspace/base:bookworm, with the
# dashboard built on the host (WEB_DIST=context) and the host's CA bundle for pip and uv.
ARG NODE_IMAGE=node:20-slim
ARG PYTHON_IMAGE=python:3.12-slim
# build: npm builds the dashboard in NODE_IMAGE. context: web/dist comes with the build
# context, already built, and NODE_IMAGE only needs a shell.
ARG WEB_DIST=build

############################ dashboard ############################
FROM ${NODE_IMAGE} AS web
ARG WEB_DIST
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN if [ "$WEB_DIST" = build ]; then npm ci --no-audit --no-fund; fi
COPY web/ ./
RUN set -eu; \
    if [ "$WEB_DIST" = build ]; then npm run build; fi; \
    test -f dist/index.html || { echo "web/dist/index.html is missing (make web-build)" >&2; exit 1; }

############################ python environment ############################
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION=0.13.8
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# build-ca.crt is optional (scripts/build-images.sh adds the host's bundle so pip and uv
# verify through a TLS-inspecting proxy). It stays in this stage: the final one copies the
# environment and the sources by name.
COPY pyproject.toml uv.lock README.md build-ca.cr[t] ./
RUN set -eu; \
    if [ -s build-ca.crt ]; then export PIP_CERT=/app/build-ca.crt SSL_CERT_FILE=/app/build-ca.crt; fi; \
    python3 -m venv /opt/uv; \
    /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check --progress-bar off "uv==$UV_VERSION"; \
    /opt/uv/bin/uv sync --frozen --no-dev --no-install-project --python python3
COPY alembic.ini ./
COPY alembic/ alembic/
COPY app/ app/
COPY worker/ worker/
COPY workspace/ workspace/
RUN set -eu; \
    if [ -s build-ca.crt ]; then export SSL_CERT_FILE=/app/build-ca.crt; fi; \
    /opt/uv/bin/uv sync --frozen --no-dev --python python3

############################ final ############################
FROM ${PYTHON_IMAGE}
ENV PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH WORKSPACE_DATA_DIR=/data
# /data: the api's and the worker's own files (with PostgreSQL, none a user stored).
RUN useradd --uid 1000 --create-home workspace && install -d -o workspace -m 0700 /data
WORKDIR /app
COPY --from=builder /app/.venv .venv
COPY --from=builder /app/pyproject.toml /app/alembic.ini ./
COPY --from=builder /app/alembic alembic
COPY --from=builder /app/app app
COPY --from=builder /app/worker worker
COPY --from=builder /app/workspace workspace
COPY --from=web /src/web/dist web/dist
USER workspace
EXPOSE 8000
# api processes: one per core, at most 4 (WEB_CONCURRENCY overrides); see app/server.py.
CMD ["sh", "-c", "alembic upgrade head && exec workspace serve --host 127.0.0.1 --port 8000"]
