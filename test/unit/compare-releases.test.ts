// Unit tests of src/report/compare-releases.ts.
import test from 'ava';
import { compareReleases } from '../../src/report/compare-releases.ts';
import { bookworm, trixie } from './helpers/reports.ts';

test('release comparison names what differs between bookworm and trixie', (t) => {
  const notes = compareReleases([bookworm, trixie]);
  t.true(notes.some((n) => n === 'proxy-buffering-off differs between releases in Gunicorn access log: bookworm: no line; trixie: 200, 500'));
  t.true(notes.some((n) => n.startsWith('proxy-buffering-off differs between releases in article claims: bookworm: refuted; trixie: nuanced')));
  t.false(notes.some((n) => n.includes('in verdict')));
  t.deepEqual(compareReleases([bookworm]), []);
});
