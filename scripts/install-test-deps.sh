#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: Debian's Chromium for the browser
# tests and Debian's docker-compose to validate docker-compose.yml (no Docker engine is needed for
# that), Debian's Prometheus for the collector-config tests, and chdb (the ClickHouse engine, from
# PyPI) for the ClickHouse store's tests, in a virtualenv under .cache/chdb unless python3 already
# has it, with Java and Apache ZooKeeper's jars (Maven Central, under .cache/zookeeper) for the test
# that runs the cluster DDL against a real Keeper. Safe to run again; does nothing when everything
# is present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Debian's Prometheus: the collector-config tests scrape the collector with a real Prometheus.
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# Python with venv, for chdb (server/src/store/clickhouse/chdb-executor.ts looks for .cache/chdb/venv).
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
# Java for ZooKeeper (server/src/store/clickhouse/cluster.test.ts); curl to fetch its jars.
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v curl >/dev/null 2>&1 || need+=(curl)

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
# Apache ZooKeeper 3.9.5's server and the jars it needs to run standalone (without snappy-java it
# drops every client's session handshake), at the versions its pom names, checked against these sha1s.
ZK_LIB="$(cd "$(dirname "$0")/.." && pwd)/.cache/zookeeper/lib"
mkdir -p "$ZK_LIB"
while read -r path sha1; do
  jar="$ZK_LIB/$(basename "$path")"
  if [ ! -f "$jar" ] || [ "$(sha1sum "$jar" | cut -c1-40)" != "$sha1" ]; then
    curl -fsSL --retry 3 -o "$jar.part" "https://repo1.maven.org/maven2/$path"
    if [ "$(sha1sum "$jar.part" | cut -c1-40)" != "$sha1" ]; then
      echo "install-test-deps: $path does not have sha1 $sha1" >&2
      exit 1
    fi
    mv "$jar.part" "$jar"
  fi
done <<'JARS'
org/apache/zookeeper/zookeeper/3.9.5/zookeeper-3.9.5.jar 4f091e2a604d7c6a818ac2a7169e3bad5a5441dc
org/apache/zookeeper/zookeeper-jute/3.9.5/zookeeper-jute-3.9.5.jar 20135d3521579fd7382fed744f6b74241ecb5b73
org/slf4j/slf4j-api/2.0.13/slf4j-api-2.0.13.jar 80229737f704b121a318bba5d5deacbcf395bc77
io/dropwizard/metrics/metrics-core/4.1.12.1/metrics-core-4.1.12.1.jar cb2f351bf4463751201f43bb99865235d5ba07ca
org/xerial/snappy/snappy-java/1.1.10.5/snappy-java-1.1.10.5.jar ac605269f3598506196e469f1fb0d7ed5c55059e
JARS
chdb_python=python3
python3 -c 'import chdb' >/dev/null 2>&1 || chdb_python="$CHDB_VENV/bin/python"
echo "test dependencies present: chdb $("$chdb_python" -c 'import chdb; print(chdb.__version__, "engine", chdb.engine_version)')," \
  "chromium $(chromium --version 2>/dev/null | awk '{print $2}')," \
  "prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}')," \
  "zookeeper 3.9.5 (java $(java -version 2>&1 | awk -F'"' 'NR==1{print $2}'))"
