# The twin in a container: a build stage, then a slim runtime that runs `mock-server --bind
# 0.0.0.0:8080` as a non-root user, with a health check on /__admin/health.
# Untested here: no image registry is reachable from the machines this project is built on; the
# tests check that the build step is the README's command and that the runtime keeps to the above.
FROM rust:1-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release -p mock-server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/fintwin fintwin
COPY --from=build /src/target/release/mock-server /usr/local/bin/mock-server
USER fintwin
WORKDIR /var/lib/fintwin
EXPOSE 8080
# From inside the container the admin API sees a loopback client, so the check needs no token.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/__admin/health || exit 1
ENTRYPOINT ["mock-server"]
CMD ["--bind", "0.0.0.0:8080"]
