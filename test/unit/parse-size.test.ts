// Unit tests of src/lab/parse-size.ts.
import test from 'ava';
import { formatBytes, parseSize } from '../../src/lab/parse-size.ts';

const parses = test.macro((t, text: string, bytes: number | null) => {
  t.is(parseSize(text), bytes);
});

test('plain bytes', parses, '1048576', 1048576);

test('k is KiB', parses, '512k', 512 * 1024);

test('m is MiB', parses, '8m', 8 * 1024 * 1024);

test('M and MiB spellings', parses, '8MiB', 8 * 1024 * 1024);

test('g is GiB', parses, '1g', 1024 ** 3);

test('fractions', parses, '1.5m', 1.5 * 1024 * 1024);

test('unknown suffix', parses, '5q', null);

test('negative', parses, '-1m', null);

test('empty', parses, '', null);

test('formatBytes picks the largest unit', (t) => {
  t.is(formatBytes(512), '512 B');
  t.is(formatBytes(8 * 1024 * 1024), '8 MiB');
  t.is(formatBytes(2634248), '2.51 MiB');
});
