#!/usr/bin/env bash
# The Redis tests start their own redis-server (Debian's) on a free port. Installs it when missing (needs root + apt).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
echo "== installing Debian redis-server for the Redis tests"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server
