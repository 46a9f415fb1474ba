# The otel-rum server with its demo page: OTLP/HTTP ingest, DuckDB store and API on port 4318.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY model model
COPY sdk-otel sdk-otel
COPY server server
COPY collector-config/package.json collector-config/package.json
COPY tests/package.json tests/package.json
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
ENV RUM_HOST=0.0.0.0 RUM_PORT=4318 RUM_DB_PATH=/data/rum.duckdb
VOLUME /data
EXPOSE 4318
# A young generation of 64 MiB: ingest allocates short-lived objects per record, and V8's default
# (16 MiB) promotes many of them before they die; see server/README.md (Benchmark).
CMD ["node", "--max-semi-space-size=64", "server/dist/main.js"]
