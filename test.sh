#!/usr/bin/env bash
# Builds the solution and runs every test. Needs the .NET SDK; installs redis-server and postgresql when run
# as root (apt-get), without starting their services: the tests start their own on loopback.
# EFRC_TEST_REDIS=host:port names a Redis for most tests to use instead of one they start (the Redis Cluster
# tests always start redis-server nodes of their own); EFRC_TEST_POSTGRES=<Npgsql connection string> a PostgreSQL
# server whose user may create databases. No Docker needed.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Invalidation".
set -euo pipefail
cd "$(dirname "$0")"
source .ci/ensure-servers.sh
ensure_redis_server
ensure_postgresql EFRC_TEST_POSTGRES

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# A test that hangs for 10 minutes is killed and reported, so a run always ends.
# -m:1 runs the test projects one after the other: on two cores, unit tests running beside the integration
# tests can starve the thread pool long enough for a Redis call to exceed the cache's 500 ms budget, and the
# cache then (correctly) fails open — an expected hit becomes a miss and a hit-count assertion fails.
exec dotnet test EfRedisCache.sln -c Release -m:1 \
    --logger "console;verbosity=normal" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    "$@"
