#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: Debian's Chromium for the browser
# tests and Debian's docker-compose to validate docker-compose.yml (no Docker engine is needed for
# that), Debian's Prometheus for the collector-config tests. Safe to run again; does nothing when
# everything is present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Debian's Prometheus: the collector-config tests scrape the collector with a real Prometheus.
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
echo "test dependencies present: chromium $(chromium --version 2>/dev/null | awk '{print $2}')," \
  "prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}')"
