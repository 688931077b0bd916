# Sourced by test.sh, sample.sh, .ci/run and the benchmarks' bench.sh: makes sure the servers the tests
# start exist, or says how to get them. The tests, the sample and the benchmarks start their own
# redis-server and PostgreSQL on free loopback ports; this only installs them.

# apt_install_without_services PACKAGE...: as root with apt-get, installs the packages without starting
# their system services (our programs run their own servers). Returns non-zero when it cannot.
apt_install_without_services() {
    if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    echo "Installing $* with apt-get (their services are not started)."
    local added_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        added_policy=1
    fi
    local status=0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || status=$?
    if [[ $status -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" || status=$?
    fi
    if [[ $added_policy -eq 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ $status -ne 0 ]]; then
        echo "apt-get could not install $* (exit $status)." >&2
    fi
    return $status
}

# ensure_redis_server [VAR]: does nothing when $VAR names a Redis to use instead; with no VAR, always
# makes sure of redis-server.
ensure_redis_server() {
    local override_var="${1:-}"
    if [[ -n "$override_var" && -n "${!override_var:-}" ]]; then
        echo "Using the Redis in ${override_var}."
        return 0
    fi
    if command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server || -x /usr/local/bin/redis-server ]]; then
        return 0
    fi
    if apt_install_without_services redis-server; then
        return 0
    fi
    cat >&2 <<MSG
redis-server is not installed. Install it and run this again:
    sudo apt-get install -y redis-server        (Debian/Ubuntu; macOS: brew install redis)
MSG
    if [[ -n "$override_var" ]]; then
        echo "or point ${override_var} at a Redis you have, e.g. ${override_var}=127.0.0.1:6379" >&2
    fi
    return 1
}

# The newest PostgreSQL bin directory of Debian's layout (/usr/lib/postgresql/N/bin), or nothing.
postgresql_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# ensure_postgresql [VAR]: does nothing when $VAR names a PostgreSQL to use instead; otherwise makes sure
# of the server's programs (initdb, pg_ctl, postgres).
ensure_postgresql() {
    local override_var="${1:-}"
    if [[ -n "$override_var" && -n "${!override_var:-}" ]]; then
        echo "Using the PostgreSQL in ${override_var}."
        return 0
    fi
    if [[ -n "$(postgresql_bin)" ]] || command -v initdb >/dev/null 2>&1; then
        return 0
    fi
    if apt_install_without_services postgresql; then
        return 0
    fi
    cat >&2 <<MSG
PostgreSQL is not installed. Install it and run this again:
    sudo apt-get install -y postgresql          (Debian/Ubuntu; macOS: brew install postgresql)
MSG
    if [[ -n "$override_var" ]]; then
        echo "or point ${override_var} at a server you have, e.g. ${override_var}='Host=127.0.0.1;Username=postgres;Password=…'" >&2
    fi
    return 1
}
