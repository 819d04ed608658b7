// Unit tests of src/commands/attach-flag-values.ts.
import test from 'ava';
import { attachFlagValues } from '../../src/commands/attach-flag-values.ts';

test('a string flag takes a value that starts with dashes, as a shell user writes it', (t) => {
  const flags = { 'gunicorn-args': { type: 'string' }, keep: { type: 'boolean' } } as const;
  t.deepEqual(attachFlagValues(['--gunicorn-args', '--workers 3 --timeout 5', '--keep'], flags), ['--gunicorn-args=--workers 3 --timeout 5', '--keep']);
  t.deepEqual(attachFlagValues(['--gunicorn-args', '-w 3'], flags), ['--gunicorn-args=-w 3']);
  t.deepEqual(attachFlagValues(['--keep', '--gunicorn-args', 'x'], flags), ['--keep', '--gunicorn-args', 'x'], 'other values as they were');
  t.deepEqual(attachFlagValues(['--', '--gunicorn-args', '-x'], flags), ['--', '--gunicorn-args', '-x'], 'nothing after --');
  t.deepEqual(attachFlagValues(['--keep', '--other'], flags), ['--keep', '--other'], 'a boolean takes no value');
});
