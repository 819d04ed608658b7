// Unit tests of src/topology/names.ts.
import test from 'ava';
import { containerName, newRunId, ownPidNamespace, runLabels } from '../../src/topology/names.ts';

test('names and labels identify lab, role and run', (t) => {
  const runId = newRunId(new Date('2026-11-27T04:50:12Z'));
  t.regex(runId, /^20261127-045012-[0-9a-f]{4}$/);
  t.is(containerName('proxy-buffering-off', 'app', runId), `lab-proxy-buffering-off-app-${runId}`);
  t.deepEqual(runLabels('x', runId, 'nginx', 42), {
    'gunicorn-lab.project': 'gunicorn-slow-client-lab',
    'gunicorn-lab.lab': 'x',
    'gunicorn-lab.run': runId,
    'gunicorn-lab.owner-pid': '42',
    'gunicorn-lab.owner-pid-ns': ownPidNamespace()!,
    'gunicorn-lab.role': 'nginx',
  });
  t.regex(ownPidNamespace() ?? '', /^pid:\[\d+\]$/);
  // A stack kept up on purpose has no owner: only `down` and `clean` remove it.
  t.like(runLabels('x', runId, 'app', 42, { since: '2026-11-28T06:00:00.000Z' }), {
    'gunicorn-lab.owner-pid': '0',
    'gunicorn-lab.kept-since': '2026-11-28T06:00:00.000Z',
  });
});
