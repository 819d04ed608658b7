// Unit tests of src/check/remedy-table.ts.
import test from 'ava';
import { formatRemedyTable } from '../../src/check/remedy-table.ts';

test('the remedy table lines up its columns and shows a dash for what was not measured', (t) => {
  const table = formatRemedyTable([
    {
      remedy: 'as it is',
      result: 'hurt',
      detail: 'WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200',
      gunicornBusyMs: null,
      appMemoryBytes: 64 * 1024 * 1024,
      secondRequestWaitMs: 2290,
      runDir: 'x',
    },
    {
      remedy: 'proxy_buffering on',
      result: 'not applicable',
      detail: 'already on',
      gunicornBusyMs: null,
      appMemoryBytes: null,
      secondRequestWaitMs: null,
      runDir: null,
    },
  ]).split('\n');
  t.deepEqual(table, [
    'remedy              result          what the client got                     Gunicorn busy  app memory  second request waited',
    '──────────────────  ──────────────  ──────────────────────────────────────  ─────────────  ──────────  ─────────────────────',
    'as it is            hurt            WORKER TIMEOUT ×1, 4 MiB of 8 MiB, 200  –              64 MiB      2.29 s',
    'proxy_buffering on  not applicable  already on                              –              –           –',
  ]);
});
