// Hypothesis (Uvicorn's docs, asgiref's on WsgiToAsgi): alone, nothing kills a busy worker, so the slow download
// completes; but asgiref runs the sync Flask app in one shared thread, which the slow download holds while it waits
// for the client to read, so a second request waits for it.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With Uvicorn alone and the Flask app wrapped as ASGI by asgiref (no proxy), a slow download completes and nothing is killed, yet a quick request sent meanwhile waits until the download ends: asgiref's WsgiToAsgi runs the sync app in one shared thread, and the slow download holds it.",
  hypothesisFrom:
    "asgiref's sync_to_async (thread-sensitive by default since asgiref 3.3: sync code runs in one shared thread), which its WsgiToAsgi calls; Uvicorn's documentation",
  server: { kind: 'uvicorn' },
  nginx: null,
  fileSizeBytes: 4 * 1024 * 1024,
  client: { throttle: 'reader', probes: [{ path: '/ping', afterMs: 1500 }] },
  expect: { workerTimeout: false, sideRequestsWaited: true, outcome: 'complete', checksumMatches: true },
});
