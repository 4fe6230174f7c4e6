#!/usr/bin/env bash
# First start of the compose PostgreSQL (docker-entrypoint-initdb.d): one database per service,
# named after it (SERVICE_DATABASES, written into docker-compose.yml from deploy/services.yaml).
set -euo pipefail
for database in $SERVICE_DATABASES; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE \"$database\""
done
