// Unit tests of src/client/client-output.ts.
import test from 'ava';
import { parseClientLine } from '../../src/client/client-output.ts';

test('the client program lines are classified', (t) => {
  t.deepEqual(parseClientLine('{"type": "progress", "ms": 100.5, "bytes": 4096}'), { type: 'progress', progress: { ms: 100.5, bytes: 4096 } });
  t.is(parseClientLine('{"type": "result", "status": 200}').type, 'result');
  t.is(parseClientLine('{"type": "probe", "path": "/ping"}').type, 'probe');
  t.deepEqual(parseClientLine('Traceback (most recent call last):'), { type: 'other', text: 'Traceback (most recent call last):' });
});
