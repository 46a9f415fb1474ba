#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: Debian's Chromium for the browser
# tests and Debian's docker-compose to validate docker-compose.yml (no Docker engine is needed for
# that), Debian's Prometheus for the collector-config tests, and chdb (the ClickHouse engine, from
# PyPI) for the ClickHouse store's tests, in a virtualenv under .cache/chdb unless python3 already
# has it. Safe to run again; does nothing when everything is present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Debian's Prometheus: the collector-config tests scrape the collector with a real Prometheus.
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# Python with venv, for chdb (server/src/store/clickhouse/chdb-executor.ts looks for .cache/chdb/venv).
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# chdb: the version the ClickHouse store is tested on (chdb 4.x bundles the ClickHouse 26 engine).
CHDB_VENV="$(cd "$(dirname "$0")/.." && pwd)/.cache/chdb/venv"
if ! python3 -c 'import chdb' >/dev/null 2>&1 && ! "$CHDB_VENV/bin/python" -c 'import chdb' >/dev/null 2>&1; then
  python3 -m venv "$CHDB_VENV"
  "$CHDB_VENV/bin/pip" install --quiet --disable-pip-version-check 'chdb>=4.4,<5'
fi
chdb_python=python3
python3 -c 'import chdb' >/dev/null 2>&1 || chdb_python="$CHDB_VENV/bin/python"
echo "test dependencies present: chdb $("$chdb_python" -c 'import chdb; print(chdb.__version__, "engine", chdb.engine_version)')," \
  "chromium $(chromium --version 2>/dev/null | awk '{print $2}')," \
  "prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}')"
