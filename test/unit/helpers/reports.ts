// Runs built from captured fixtures for the report tests: killed on bookworm and trixie, and the fast run judged by the
// problem's expectation (a failing verdict).
import { fixtureRun } from './load-fixture.ts';

export const killed = { workerTimeout: true, outcome: 'truncated', clientStatus: 200 } as const;
export const claim500 = { quote: 'the response finally ends as a 500 error', says: { clientStatus: 500, gunicornAccessStatus: 500 } };
export const bookworm = fixtureRun('bookworm-sync-killed', 'proxy-buffering-off', 'bookworm', killed, [claim500]);
export const trixie = fixtureRun('trixie-sync-killed', 'proxy-buffering-off', 'trixie', killed, [claim500]);
// The fast run judged by the problem's expectation: a failing verdict, as a report must show it.
export const failing = fixtureRun('bookworm-sync-fast', 'fast-but-expected-killed', 'bookworm', killed);
export const unrun = [{ key: 'gevent-worker [sid]', message: 'Building gunicorn-lab/app:sid-1 failed: E: Unable to locate package python3-gevent' }];
