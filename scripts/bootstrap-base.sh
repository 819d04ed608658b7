#!/bin/sh
# The Debian base image's root file system, as a tar on stdout, where no registry serves debian:<release>-slim:
# mmdebstrap's minimal variant from Debian's default mirror, with the packages the three lab images install already
# in it (read from their Dockerfiles' `pkgs="…"` lines), so that their builds' `apt-get install` finds them there.
# Why: a package unpacked here, in memory, costs a fraction of what it costs in a build, whose files go through
# Docker's storage to the disk, and one apt run installs Python once instead of once for the app and once for the
# client. On a fresh 2-core machine the three builds then take about 2 s instead of 18-25 s. The other fronts' image
# (images/front) is left to its own build: only labs that ask for it need it.
# The package lists it fetched go, as in Debian's own images: a build whose packages are all here then runs apt in
# 0.06 s instead of 1.1 s (apt reads 53 MB of lists), and a build that needs more (the fronts' image) fetches them
# itself. For sid, apt keeps `Check-Valid-Until "false"`: a mirror may serve unstable with an expired Release file;
# signatures are still checked. mmdebstrap keeps every --aptopt in the image (/etc/apt/apt.conf.d/99mmdebstrap), so
# the builds read it too.
# Python's byte-compiling is deferred to the end, where it runs on every core at once: a package's postinst calls
# py3compile for that package alone, one after the other in dpkg's single line of work. During the install
# py3compile is a stand-in that records each call; the end replays them (the real py3compile, same arguments, same
# files). Then the image is made slim as Debian's `-slim` images are (the files debuerreotype's slimify removes:
# documents but their copyright, manuals, translations), with the same dpkg filters left in /etc/dpkg/dpkg.cfg.d for
# later installs. With bookworm's /usr merged by symlinks (below), its base is 15,400 files instead of 20,400: fewer
# for Docker to write at import (3.2-4.5 s here instead of 5-6 s).
# Usage: bootstrap-base.sh <release> (or --packages: the list it installs). Called by the set-up
# (src/images/base-image.ts), and by scripts/setup.sh beside npm on a fresh machine.
set -eu
# The hooks: mmdebstrap runs them with the root file system's folder as $1 (they call this script again).
if [ "${1:-}" = --hook ]; then
  root=$3
  case "$2" in
    essential)
      # Before the remaining packages: py3compile, when python3 brings it, lands diverted; a stand-in records calls.
      chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/bin/py3compile.deferred --add /usr/bin/py3compile
      printf '#!/bin/sh\necho "$*" >>/var/lib/py3compile.deferred\n' >"$root/usr/bin/py3compile"
      chmod 755 "$root/usr/bin/py3compile"
      ;;
    customize)
      rm -f "$root/usr/bin/py3compile"
      chroot "$root" dpkg-divert --quiet --local --rename --remove /usr/bin/py3compile
      if [ -s "$root/var/lib/py3compile.deferred" ]; then
        xargs -P "$(nproc 2>/dev/null || echo 2)" -L 1 chroot "$root" py3compile <"$root/var/lib/py3compile.deferred"
      fi
      rm -f "$root/var/lib/py3compile.deferred"
      # Slim, as debuerreotype's slimify (.slimify-excludes and .slimify-includes) makes Debian's -slim images.
      printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/groff/*' \
        'path-exclude /usr/share/info/*' 'path-exclude /usr/share/linda/*' 'path-exclude /usr/share/lintian/overrides/*' \
        'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' 'path-exclude /usr/share/man/*' \
        >"$root/etc/dpkg/dpkg.cfg.d/docker"
      find "$root/usr/share/doc" -xdev -mindepth 1 -not -name copyright -not -type d -delete
      find "$root/usr/share/doc" -xdev -mindepth 1 -depth -type d -empty -delete
      find "$root/usr/share/locale" -xdev -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
      rm -rf "$root"/usr/share/groff/* "$root"/usr/share/info/* "$root"/usr/share/linda/* "$root"/usr/share/lintian/overrides/* "$root"/usr/share/man/*
      ;;
  esac
  exit 0
fi
release=$1
images=$(cd "$(dirname "$0")/../images" && pwd)
pkgs=$(sed -n 's/^RUN pkgs="\([^"]*\)".*/\1/p' "$images/app/Dockerfile" "$images/nginx/Dockerfile" "$images/client/Dockerfile" | tr ' \n' ',,' | sed 's/,*$//')
if [ "$release" = --packages ]; then echo "$pkgs"; exit 0; fi
LAB_BOOTSTRAP_SCRIPT="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
export LAB_BOOTSTRAP_SCRIPT
set -- --variant=minbase --quiet \
  '--essential-hook=sh "$LAB_BOOTSTRAP_SCRIPT" --hook essential "$1"' \
  '--customize-hook=sh "$LAB_BOOTSTRAP_SCRIPT" --hook customize "$1"' \
  "--include=$pkgs"
if [ "$release" = sid ]; then set -- "$@" '--aptopt=Acquire::Check-Valid-Until "false"'; fi
# Bookworm's minimal variant merges /usr by installing usrmerge, which brings Perl (2,000 files) and converts the
# folders in a Perl script. Debian's own bookworm images have the merged folders as debootstrap makes them, symlinks
# from the start, and so does mmdebstrap's merged-usr hook. (Trixie and sid ship them merged.)
merged_usr=/usr/share/mmdebstrap/hooks/merged-usr
if [ "$release" = bookworm ] && [ -d "$merged_usr" ]; then set -- "$@" "--hook-dir=$merged_usr"; fi
# The root file system is unpacked in a folder under TMPDIR, then written out as the tar: in memory (/dev/shm, where
# it is a tmpfs with 4 GiB free, room for the three releases' bootstraps at once) rather than on disk, the minimal
# variant took 14-19 s here instead of 24-37 s, the difference being the kernel's time writing thousands of small
# files to the disk. mmdebstrap removes the folder when it ends.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 4194304 ] 2>/dev/null; then
  export TMPDIR=/dev/shm
fi
exec mmdebstrap "$@" "$release" - </dev/null
