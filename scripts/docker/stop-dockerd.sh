#!/usr/bin/env bash
# Stops the dockerd that start-dockerd.sh started, by its PID only; waits until it is gone.
set -euo pipefail
pid=${1:?usage: stop-dockerd.sh <pid>}
kill -TERM "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 40); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.5
done
kill -KILL "$pid" 2>/dev/null || true
