#!/usr/bin/env bash
# Starts a Docker engine for Greenroom's engine tests unless one already answers on the socket.
# Prints the PID of the dockerd it started (nothing when one was already running), so the caller
# stops exactly that process: scripts/docker/stop-dockerd.sh <pid>.
# Needs the Debian packages docker.io, iptables, busybox-static (scripts/setup.sh installs them).
set -euo pipefail
SOCKET=${GREENROOM_TEST_DOCKER_SOCKET:-/var/run/docker.sock}
LOG=${GREENROOM_TEST_DOCKERD_LOG:-/tmp/greenroom-dockerd.log}

if docker -H "unix://$SOCKET" info >/dev/null 2>&1; then
  exit 0
fi
command -v dockerd >/dev/null || { echo "dockerd is not installed (apt-get install docker.io iptables)" >&2; exit 1; }

dockerd -H "unix://$SOCKET" >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if docker -H "unix://$SOCKET" info >/dev/null 2>&1; then
    echo "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { echo "dockerd exited; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
  sleep 0.5
done
echo "dockerd did not answer within 30 s; see $LOG" >&2
kill "$pid" 2>/dev/null || true
exit 1
