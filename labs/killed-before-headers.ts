// Hypothesis: an error status only reaches the client when the kill comes before the headers are sent.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    'When the app works longer than the timeout before it answers (no slow client), the worker is killed before any header: the client gets an error status (a 502 from Nginx; from Gunicorn 22 on, a 500 that the dying worker writes itself).',
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyBuffering: false },
  client: { path: '/slow?seconds=5', rateBytesPerS: null },
  expect: {
    workerTimeout: true,
    clientStatus: 502,
    nginxErrorIncludes: 'upstream prematurely closed connection while reading response header from upstream',
  },
  // Gunicorn 23 and 26 catch the abort (SystemExit) in their error handler and, no header being out yet, answer 500.
  expectByRelease: {
    trixie: { clientStatus: 500, gunicornAccessStatus: 500, nginxErrorIncludes: undefined },
    sid: { clientStatus: 500, gunicornAccessStatus: 500, nginxErrorIncludes: undefined },
  },
  claims: [{ quote: 'The response finally ends as a 500 error.', says: { clientStatus: 500 } }],
});
