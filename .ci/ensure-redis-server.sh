# Sourced by test.sh and sample.sh: makes sure a redis-server executable exists, or says how to get one.
# The tests and the sample start their own redis-server on a free loopback port; this only installs it.

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
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "redis-server not found: installing it with apt-get."
        # Install the binary without starting the system service: our programs run their own server.
        local added_policy=0
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
            chmod +x /usr/sbin/policy-rc.d
            added_policy=1
        fi
        local status=0
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || status=$?
        if [[ $status -eq 0 ]]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server || status=$?
        fi
        if [[ $added_policy -eq 1 ]]; then
            rm -f /usr/sbin/policy-rc.d
        fi
        if [[ $status -ne 0 ]]; then
            echo "apt-get could not install redis-server (exit $status)." >&2
            return 1
        fi
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
