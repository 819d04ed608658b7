#!/bin/sh
# Writes the lab's large file (random bytes, so nothing compresses it) and its checksum, then starts the server.
set -eu
mkdir -p "${DATA_DIR:=/data}"
head -c "${FILE_SIZE_BYTES:?FILE_SIZE_BYTES is required}" /dev/urandom > "$DATA_DIR/large.bin"
sha256sum "$DATA_DIR/large.bin" | cut -d' ' -f1 > "$DATA_DIR/large.bin.sha256"
exec "$@"
