#!/usr/bin/env bash
# Runs the sample. Needs the .NET SDK; installs redis-server when run as root (apt-get)
# unless EFRC_REDIS=host:port names a Redis to use. No Docker needed.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/ensure-servers.sh
ensure_redis_server EFRC_REDIS

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
exec dotnet run --project samples/EfRedisCache.Sample -c Release -- "$@"
