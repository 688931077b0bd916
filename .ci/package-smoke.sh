#!/usr/bin/env bash
# Packs src/EfRedisCache, checks the package's metadata, then installs it from a local folder source into a scratch
# console project outside the repository (so none of the repository's build settings or project references help it)
# and runs samples/PackageSmoke/Program.cs against a throw-away redis-server and a SQLite file: proves that what
# `dotnet add package EfRedisCache` gives a user restores, compiles with the README's DI setup, and caches.
# EFRC_REDIS=host:port uses that Redis instead of starting one. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/ensure-servers.sh
ensure_redis_server EFRC_REDIS
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

work="$(mktemp -d)"
redis_pid=""
# A version of its own: the global NuGet cache keeps a package by id and version, and would hand a later run
# the package an earlier run packed under the same version.
version="0.0.0-smoke.$(date +%s).$$"
cleanup() {
    if [[ -n "$redis_pid" ]]; then kill "$redis_pid" 2>/dev/null || true; fi
    rm -rf "$work" "${NUGET_PACKAGES:-$HOME/.nuget/packages}/efrediscache/$version"
}
trap cleanup EXIT

dotnet pack src/EfRedisCache -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
nupkg="$work/feed/EfRedisCache.$version.nupkg"
[[ -f "$work/feed/EfRedisCache.$version.snupkg" ]] || { echo "no symbol package (.snupkg)" >&2; exit 1; }
nuspec="$(unzip -p "$nupkg" EfRedisCache.nuspec)"
for element in '<license type="expression">' '<readme>README.md</readme>' '<authors>' '<description>' '<repository ' '<group targetFramework="net10.0">'; do
    grep -qF "$element" <<<"$nuspec" || { echo "the nuspec lacks $element" >&2; exit 1; }
done
if grep -qiE 'id="(xunit|Microsoft\.NET\.Test\.Sdk|Testcontainers|BenchmarkDotNet|Npgsql|Microsoft\.EntityFrameworkCore\.Sqlite)' <<<"$nuspec"; then
    echo "a test, benchmark or provider dependency leaked into the package:" >&2
    grep -iE '<dependency ' <<<"$nuspec" >&2
    exit 1
fi
for file in README.md lib/net10.0/EfRedisCache.dll lib/net10.0/EfRedisCache.xml; do
    unzip -l "$nupkg" "$file" >/dev/null || { echo "the package lacks $file" >&2; exit 1; }
done

mkdir -p "$work/app"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > "$work/app/PackageSmoke.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="EfRedisCache" Version="$version" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="10.0.15" />
    <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.15" />
  </ItemGroup>
</Project>
XML
cp samples/PackageSmoke/Program.cs "$work/app/"
cp global.json "$work/app/"

if [[ -n "${EFRC_REDIS:-}" ]]; then
    redis="$EFRC_REDIS"
else
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
    redis_pid=$!
    redis="127.0.0.1:$port"
fi

dotnet run --project "$work/app" -c Release -- "$redis"
