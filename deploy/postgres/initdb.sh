#!/usr/bin/env bash
# Mounted into /docker-entrypoint-initdb.d/ of the postgres image (compose.yaml): runs once,
# when the data volume is empty. It only hands the passwords from the environment to
# bootstrap.sql as psql variables; the SQL file stays usable by hand against any server.
# The image's entrypoint may source this file instead of executing it (when it is not
# executable), so it neither calls `exit` nor changes shell options; it is a single command,
# so its status is psql's (a failure aborts the container's first start).
psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="${SENTRA_OWNER_PASSWORD:?SENTRA_OWNER_PASSWORD is not set}" \
  -v app_password="${SENTRA_APP_PASSWORD:?SENTRA_APP_PASSWORD is not set}" \
  -f /sentra/bootstrap.sql
