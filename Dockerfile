# One image for every process of the platform (deploy/services.yaml): each runs it with its own
# command, e.g. `uvicorn --factory services.registration.app:create_app --host 0.0.0.0 --port 8001`.
# No secret is baked in: the gateway's signing key and partner list are mounted files
# (GATEWAY_KEY_FILE, PARTNERS_FILE), the others come from the environment (DATABASE_URL, PII_HASH_SECRET…).

# Build stage: the pinned dependencies of pyproject.toml in a virtual environment.
FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml ./
COPY services ./services
COPY gateway ./gateway
# Installing the project pulls exactly its pinned dependencies; the project itself then runs from
# /app (its code finds schemas/ and deploy/ beside it), so its own installed copy is removed.
RUN pip install . && pip uninstall -y france-travail-platform

# Runtime stage: the environment, the code and the files it reads; no compiler, no build tools.
FROM python:3.12-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/var/lib/platform
RUN groupadd --system --gid 10001 platform \
    && useradd --system --uid 10001 --gid platform --home-dir /app --shell /usr/sbin/nologin platform \
    && install -d -o platform -g platform /var/lib/platform /var/lib/platform/gateway /var/lib/platform/shared
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY services ./services
COPY gateway ./gateway
COPY schemas ./schemas
COPY deploy/services.yaml ./deploy/services.yaml
# Compiled once here: containers run with a read-only root filesystem.
RUN find services gateway -type d -name tests -prune -exec rm -rf {} + && python -m compileall -q services gateway
USER 10001:10001
EXPOSE 8000
CMD ["uvicorn", "--factory", "gateway.app:create_app", "--host", "0.0.0.0", "--port", "8000"]
