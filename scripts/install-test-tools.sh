#!/usr/bin/env bash
# Installs the Debian packages the tests need: chromium (/usr/bin/chromium, the browser tests drive
# it with playwright-core) and unzip (the app package test cross-checks its zip with it).
# Idempotent: does nothing, silently, when both are installed.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${missing[*]} — run 'sudo apt-get install -y ${missing[*]}' (or this script as root)" >&2
  exit 1
fi

echo "Installing ${missing[*]} with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ ! -x /usr/bin/chromium ] || ! command -v unzip >/dev/null 2>&1; then
  echo "apt-get install ${missing[*]} finished but something is still missing" >&2
  exit 1
fi
echo "Installed: ${missing[*]}" >&2
