#!/usr/bin/env bash
# Installs Debian's chromium (/usr/bin/chromium) for the end-to-end tests driven by playwright-core.
# Idempotent: does nothing, silently, when chromium is already installed.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing: run 'sudo apt-get install -y chromium' (or this script as root)" >&2
  exit 1
fi

echo "Installing chromium with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x /usr/bin/chromium ]; then
  echo "apt-get install chromium finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "Installed: $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" >&2
