// Unit tests of src/report/compare-releases.ts.
import test from 'ava';
import { compareReleases } from '../../src/report/compare-releases.ts';
import { fixtureRun } from './helpers/load-fixture.ts';

const claim500 = { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } };
const killed = { workerTimeout: true, outcome: 'truncated', clientStatus: 200 } as const;
const bookworm = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed, [claim500]);
const trixie = fixtureRun('trixie-sync-killed', 'proxy-buffering-off', 'trixie', killed, [claim500]);
test('release comparison names what differs between bookworm and trixie', (t) => {
  const notes = compareReleases([bookworm, trixie]);
  t.true(notes.some((n) => n === 'proxy-buffering-off differs between releases in Gunicorn access log: bookworm: no line; trixie: 200, 500'));
  t.true(notes.some((n) => n.startsWith('proxy-buffering-off differs between releases in article claims: bookworm: refuted; trixie: nuanced')));
  t.false(notes.some((n) => n.includes('in verdict')));
  t.deepEqual(compareReleases([bookworm]), []);
});
