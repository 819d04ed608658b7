#!/bin/sh
# The Debian base image's root file system, as a tar on stdout, where no registry serves debian:<release>-slim:
# mmdebstrap's minimal variant from Debian's default mirror, with the packages the three lab images install already
# in it (read from their Dockerfiles' `pkgs="…"` lines), so that their builds' `apt-get install` finds them there.
# Why: a package unpacked here, in memory, costs a fraction of what it costs in a build, whose files go through
# Docker's storage to the disk, and one apt run installs Python once instead of once for the app and once for the
# client. On a fresh 2-core machine the three builds then take about 5 s instead of 18-25 s. The other fronts' image
# (images/front) is left to its own build: only labs that ask for it need it.
# Services never start at install (policy-rc.d), and the package lists it fetched stay, so a build that needs more
# installs from them without fetching them again (a build whose lists went stale fetches them itself). For sid, apt
# keeps `Check-Valid-Until "false"`: a mirror may serve unstable with an expired Release file; signatures are still
# checked. mmdebstrap keeps every --aptopt in the image (/etc/apt/apt.conf.d/99mmdebstrap), so the builds read it too.
# Usage: bootstrap-base.sh <release> (or --packages: the list it installs). Called by the set-up (src/images/base-image.ts), and by scripts/setup.sh beside
# npm on a fresh machine.
set -eu
release=$1
images=$(cd "$(dirname "$0")/../images" && pwd)
pkgs=$(sed -n 's/^RUN pkgs="\([^"]*\)".*/\1/p' "$images/app/Dockerfile" "$images/nginx/Dockerfile" "$images/client/Dockerfile" | tr ' \n' ',,' | sed 's/,*$//')
if [ "$release" = --packages ]; then echo "$pkgs"; exit 0; fi
set -- --variant=minbase --quiet \
  '--customize-hook=printf "#!/bin/sh\nexit 101\n" > "$1/usr/sbin/policy-rc.d"; chmod +x "$1/usr/sbin/policy-rc.d"' \
  --skip=cleanup/apt/lists \
  "--include=$pkgs"
if [ "$release" = sid ]; then set -- "$@" '--aptopt=Acquire::Check-Valid-Until "false"'; fi
# The root file system is unpacked in a folder under TMPDIR, then written out as the tar: in memory (/dev/shm, where
# it is a tmpfs with 4 GiB free, room for the three releases' bootstraps at once) rather than on disk, the minimal
# variant took 14-19 s here instead of 24-37 s, the difference being the kernel's time writing thousands of small
# files to the disk. mmdebstrap removes the folder when it ends.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 4194304 ] 2>/dev/null; then
  export TMPDIR=/dev/shm
fi
exec mmdebstrap "$@" "$release" - </dev/null
