#!/bin/sh
# Fresh-machine set-up, idempotent: npm dependencies, then a Docker engine, the Debian base image and the lab images.
# Arguments go to `setup` (e.g. --stack trixie, --stack all).
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "… npm dependencies"
  started=$(date +%s)
  npm ci --no-audit --no-fund --loglevel=error
  echo "✔ npm dependencies ($(( $(date +%s) - started )) s)"
else
  echo "✔ npm dependencies: up to date"
fi
# tsx keeps no compile cache in the temp folder: the labs leave nothing behind.
export TSX_DISABLE_CACHE=1
# The CLI runs compiled (scripts/lab.mjs compiles what changed), so set-up also leaves it ready for `npm run lab`.
exec node scripts/lab.mjs setup "$@"
