#!/bin/sh
# The Debian base image's root file system, as a tar on stdout, where no registry serves debian:<release>-slim:
# mmdebstrap's minimal variant from Debian's default mirror. Services never start at install (policy-rc.d), and the
# package lists it fetched stay, so the image builds install from them at once instead of each fetching them again
# (a build whose lists went stale fetches them itself). For sid, apt keeps `Check-Valid-Until "false"`: a mirror may
# serve unstable with an expired Release file; signatures are still checked. mmdebstrap keeps every --aptopt in the
# image (/etc/apt/apt.conf.d/99mmdebstrap), so the builds' own apt reads it too.
# Usage: bootstrap-base.sh <release>. Called by the set-up (src/images/base-image.ts), and by scripts/setup.sh beside
# npm on a fresh machine.
set -eu
release=$1
set -- --variant=minbase --quiet \
  '--customize-hook=printf "#!/bin/sh\nexit 101\n" > "$1/usr/sbin/policy-rc.d"; chmod +x "$1/usr/sbin/policy-rc.d"' \
  --skip=cleanup/apt/lists
here=$(cd "$(dirname "$0")/.." && pwd)
pkgs=$(sed -n 's/^RUN pkgs="\([^"]*\)".*/\1/p' "$here/images/app/Dockerfile" "$here/images/nginx/Dockerfile" "$here/images/client/Dockerfile" | tr ' \n' ',,' | sed 's/,*$//')
set -- "$@" "--include=$pkgs"
if [ "$release" = sid ]; then set -- "$@" '--aptopt=Acquire::Check-Valid-Until "false"'; fi
# The root file system is unpacked in a folder under TMPDIR, then written out as the tar: in memory (/dev/shm, where
# it is a tmpfs with 2 GiB free) rather than on disk, it took 14-19 s here instead of 24-37 s, the difference being
# the kernel's time writing thousands of small files to the disk. mmdebstrap removes the folder when it ends.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 2097152 ] 2>/dev/null; then
  export TMPDIR=/dev/shm
fi
exec mmdebstrap "$@" "$release" - </dev/null
