#!/usr/bin/env bash
# Runs the benchmarks of this folder, tests/EfRedisCache.Benchmarks (results: its README.md). Not part of CI.
# Paths below are relative to this folder; it can be started from anywhere.
#   ./bench.sh            the full run: BenchmarkDotNet suite, load program, report + chart (about 25 minutes)
#   ./bench.sh --quick    a smoke run of the same steps (under 3 minutes)
#   ./bench.sh [--quick] bench|load|report ...   only the named steps
#   ./bench.sh bench -- --filter '*Breakdown*'   arguments after -- go to BenchmarkDotNet
#   ./bench.sh load -- registered pays   only the named load sections (output in BenchmarkDotNet.Artifacts/, not results/)
#   ./bench.sh profile    sample the PK-lookup hit and its in-process replay with dotnet-trace (Speedscope files)
#   ./bench.sh sync       synchronous cached queries from 16 pool threads for 10 s: throughput and calls failed open
#   ./bench.sh sync -- 1 10 32   the same with 1 caller, 10 s, the pool's minimum raised to 32 threads
#   ./bench.sh hitloop -- PkLookup hit 20 [callers]   one variant (hit|replay|replay-rows|inside|get|limit|limit-rows|hit-fast|replay-fast) alone: wall and CPU per call
#   ./bench.sh hitparts -- PkLookup 5000    the hit and its parts (replay, decode + reader, probe, GET), interleaved
#   ./bench.sh largesave -- 10000 100000   one SaveChanges of that many rows added, modified, deleted: keys its invalidation bumps, script time in Redis
#   ./bench.sh contention   a read's wait in one transaction while another's held sets merge; a rotation of many connection strings
#   ./bench.sh allocs -- 2000    bytes allocated per hit (kept rows, rows from Redis) and per 1,000-row SQLite miss
# Needs the .NET SDK. As root on Debian it installs redis-server and postgresql with apt-get when missing
# (without starting their services). It starts its own redis-server and PostgreSQL cluster on free loopback
# ports in a temporary directory (trust authentication, 127.0.0.1 only) and stops both when it ends.
set -euo pipefail
cd "$(dirname "$0")"
project="$(pwd)"

quick=()
steps=()
bdn_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=(--quick) ;;
        bench|load|report|profile|sync|hitloop|hitparts|allocs|largesave|contention) steps+=("$1") ;;
        --) shift; bdn_args=("$@"); break ;;
        *) echo "usage: ./bench.sh [--quick] [bench|load|report|profile|sync|hitloop|hitparts|allocs|largesave|contention ...] [-- BenchmarkDotNet args, e.g. --filter '*Breakdown*']" >&2; exit 2 ;;
    esac
    shift
done
[[ ${#steps[@]} -eq 0 ]] && steps=(bench load report)

# ---- servers: install when missing ----
source ../../.ci/ensure-servers.sh
ensure_redis_server
ensure_postgresql
PGBIN="$(postgresql_bin)"

# A port nothing listens on (bash's /dev/tcp: no extra tools needed).
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

work="$(mktemp -d /tmp/efrc-bench.XXXXXX)"
chmod 755 "$work"
redis_port="$(free_port)"
pg_port="$(free_port)"
as_pg=()
if [[ "$(id -u)" -eq 0 ]]; then
    # initdb and postgres refuse to run as root: run them as the postgres user.
    chown postgres: "$work" 2>/dev/null || true
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    set +e
    [[ -f "$work/pg/postmaster.pid" ]] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/pg" -m immediate -t 30 stop >/dev/null 2>&1
    [[ -f "$work/redis.pid" ]] && kill "$(cat "$work/redis.pid")" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Starting redis-server on 127.0.0.1:$redis_port"
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --dir "$work" --logfile "$work/redis.log" \
    --maxmemory 2gb --maxmemory-policy allkeys-lru
for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
done

# fsync off: a throw-away benchmark cluster; writes stay as cheap as the machine allows in every variant.
echo "Starting PostgreSQL ($("$PGBIN/postgres" --version)) on 127.0.0.1:$pg_port"
"${as_pg[@]}" "$PGBIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$work/pg.log" >&2; exit 1; }

export EFRC_BENCH_REDIS="127.0.0.1:$redis_port"
export EFRC_BENCH_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=efrc_bench;Maximum Pool Size=150"
export EFRC_BENCH_DIR="$work"
export EFRC_BENCH_PROJECT="$project"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# profile: the PK-lookup hit and its in-process replay, each alone in a process under dotnet-trace's thread-time
# sampler (a NuGet tool, installed into the git-ignored artifacts folder), written as Speedscope files.
profile() {
    local tools="$project/BenchmarkDotNet.Artifacts/tools" out="$project/BenchmarkDotNet.Artifacts/profile"
    mkdir -p "$out"
    [[ -x "$tools/dotnet-trace" ]] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null
    for variant in hit replay; do
        (cd "$project" && timeout --kill-after=30s "$1" "$tools/dotnet-trace" collect --profile dotnet-sampled-thread-time \
            --format Speedscope --show-child-io -o "$out/$variant.nettrace" -- dotnet "$dll" hitloop PkLookup "$variant" 20)
    done
    echo "profiles: $out/{hit,replay}.speedscope.json (open them in speedscope; compare the two)"
}

dotnet build "$project" -c Release -nologo -v q
dll="$project/bin/Release/net10.0/EfRedisCache.Benchmarks.dll"
for step in "${steps[@]}"; do
    case "$step" in
        bench)  limit=40m ;;
        load)   limit=20m ;;
        report) limit=5m ;;
        profile) limit=10m ;;
        sync|hitloop|hitparts|allocs) limit=5m ;;
        largesave) limit=15m ;;
        contention) limit=5m ;;
    esac
    echo "==== $step ${quick[*]:-}"
    extra=()
    [[ "$step" == bench || "$step" == load || "$step" == sync || "$step" == hitloop || "$step" == hitparts || "$step" == allocs || "$step" == largesave ]] && extra=("${bdn_args[@]}")
    if [[ "$step" == profile ]]; then
        profile "$limit"
        continue
    fi
    # allocs: fully optimized code from the first call (no tiers), so what the JIT removes (.NET 10 puts objects that do
    # not escape on the stack) does not depend on when tier 1 arrived; with tiers, runs differed by up to 1 KB per call.
    env=()
    [[ "$step" == allocs ]] && env=(DOTNET_TieredCompilation=0)
    (cd "$project" && env "${env[@]}" timeout --kill-after=30s "$limit" dotnet "$dll" "$step" "${quick[@]}" "${extra[@]}")
done
