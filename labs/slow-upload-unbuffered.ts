// Hypothesis: with request buffering off, Nginx streams the body at the client's pace and the sync worker is held.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With `proxy_request_buffering off`, Nginx passes a Content-Length body on as it comes: the sync worker reads at the client's pace, is killed at its 2 s timeout, and the app never receives the whole body.",
  hypothesisFrom: "Nginx's documentation of proxy_request_buffering; uWSGI's warning on harakiri without post buffering",
  gunicorn: { worker: 'sync', timeoutS: 2 },
  nginx: { proxyRequestBuffering: false },
  client: { path: '/upload', body: 'other', rateBytesPerS: null, upload: { sizeBytes: 2 * 1024 * 1024, rateBytesPerS: 256 * 1024 } },
  expect: { workerTimeout: true, appGotWholeUpload: false },
  // Gunicorn 20.1's killed worker closes without a word (Nginx writes a 502); from 23.0 on the dying worker itself
  // answers 500 before it goes, as its access line records. Whether the client gets that 500 or Nginx's own 502 is a
  // race with Nginx still writing the rest of the body (a matrix's load once gave 502: "writev() failed (32: Broken
  // pipe) while sending request to upstream"), so the client's status is not what this lab asserts there. The same
  // race decides Nginx's own words on bookworm ("upstream prematurely closed connection", or that writev() error in
  // a run of the test command), so they are not asserted either.
  expectByRelease: {
    bookworm: { clientStatus: 502 },
    trixie: { gunicornAccessStatus: 500 },
    sid: { gunicornAccessStatus: 500 },
  },
});
