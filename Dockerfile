# The WorkSpace api and worker (one image, two commands; see compose.yaml).
# Base images are build args so hosts without a registry can point them at local images.
ARG NODE_IMAGE=node:20-slim
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${NODE_IMAGE} AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM ${PYTHON_IMAGE}
ENV PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv && useradd --uid 1000 --create-home workspace
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY alembic.ini ./
COPY alembic/ alembic/
COPY app/ app/
COPY worker/ worker/
COPY workspace/ workspace/
RUN uv sync --frozen --no-dev
COPY --from=web /src/web/dist web/dist
ENV PATH=/app/.venv/bin:$PATH WORKSPACE_DATA_DIR=/data
USER workspace
EXPOSE 8000
# api processes: one per core, at most 4 (WEB_CONCURRENCY overrides); see app/server.py.
CMD ["sh", "-c", "alembic upgrade head && exec workspace serve --host 127.0.0.1 --port 8000"]
