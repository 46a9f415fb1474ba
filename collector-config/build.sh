#!/usr/bin/env bash
# Builds the otelcol-rum collector distribution from builder-config.yaml with the OpenTelemetry
# Collector Builder (ocb) and prints the binary's path as the last line of stdout.
#
# - Needs Go; the builder itself comes from the Go module proxy (go install), at the release that
#   the manifest names for the collector core, so a fresh machine needs nothing else.
# - Output goes to collector-config/.build/ (ignored by git). The binary is reused as long as the
#   manifest and the builder version are unchanged: their hash is kept next to the binary.
# - Safe to call from concurrent test workers: one build at a time (flock), the others wait and reuse.
# - OTELCOL_RUM_FORCE_BUILD=1 rebuilds anyway.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/builder-config.yaml"
out="$here/.build"
binary="$out/dist/otelcol-rum"
stamp="$out/otelcol-rum.manifest.sha256"

log() { echo "collector-config/build.sh: $*" >&2; }

command -v go >/dev/null 2>&1 || {
  log "Go is required to build the collector (https://go.dev/doc/install); 'go' is not on PATH"
  exit 1
}

# The builder release is the core release the manifest uses (one release for every module).
version="$(grep -m1 -oE 'go\.opentelemetry\.io/collector/receiver/otlpreceiver v[0-9]+\.[0-9]+\.[0-9]+' "$manifest" | awk '{print $2}')"
[ -n "$version" ] || {
  log "cannot read the collector release from $manifest (expected an otlpreceiver gomod line)"
  exit 1
}

mkdir -p "$out/bin"
exec 9>"$out/build.lock"
flock 9

want="$( (cat "$manifest"; echo "builder $version") | sha256sum | awk '{print $1}')"
if [ "${OTELCOL_RUM_FORCE_BUILD:-0}" != 1 ] && [ -x "$binary" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  log "up to date ($version)"
  echo "$binary"
  exit 0
fi

builder="$out/bin/builder-$version"
if [ ! -x "$builder" ]; then
  log "installing the collector builder $version from the Go module proxy"
  tmp="$(mktemp -d)"
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "go.opentelemetry.io/collector/cmd/builder@$version"
  mv "$tmp/builder" "$builder"
  rmdir "$tmp"
fi

log "building otelcol-rum $version (first build: several minutes on 2 cores)"
start=$(date +%s)
rm -f "$stamp"
(
  cd "$here"
  # -s -w: no symbol tables, a smaller binary and a shorter link.
  GOFLAGS="${GOFLAGS:--buildvcs=false}" "$builder" --config "$manifest" --ldflags="-s -w" >"$out/build.log" 2>&1
) || {
  log "build failed; the last lines of $out/build.log:"
  tail -n 40 "$out/build.log" >&2
  exit 1
}
echo "$want" >"$stamp"
log "built in $(($(date +%s) - start)) s"
echo "$binary"
