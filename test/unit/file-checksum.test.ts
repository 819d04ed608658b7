// The served file's checksum, read from the lab app's log line.
import test from 'ava';
import { checksumFromLog } from '../../src/topology/file-checksum.ts';

const HEX = 'a'.repeat(38) + '0123456789abcdef0123456789';

test("the entrypoint's line among the server's; none where it is missing or not a whole sha256", (t) => {
  t.is(checksumFromLog(`[2026-12-07 12:00:00 +0000] [7] [INFO] Starting gunicorn 20.1.0\nlab-file-sha256 ${HEX}\nok\n`), HEX);
  t.is(checksumFromLog('[2026-12-07 12:00:00 +0000] [7] [INFO] Starting gunicorn 20.1.0\n'), null);
  t.is(checksumFromLog(`lab-file-sha256 ${HEX.slice(1)}\n`), null);
  t.is(checksumFromLog(`lab-file-sha256 ${HEX}0\n`), null);
  t.is(checksumFromLog(`other lab-file-sha256 ${HEX}\n`), null);
});
