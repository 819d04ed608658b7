// Hypothesis (Nginx's docs on proxy_buffering, on by default; asgiref's on WsgiToAsgi): in uvicorn-standalone the slow
// download holds asgiref's one shared thread and a quick request waits; with Nginx's default buffering before Uvicorn,
// Nginx reads the whole response at once, so the thread is free at once and the quick request is not held.
import { defineLab } from '../src/lab/define-lab.ts';

export default defineLab({
  hypothesis:
    "With Nginx's default `proxy_buffering on` before Uvicorn and the Flask app wrapped as ASGI by asgiref, Nginx takes the whole response at once: asgiref's shared thread is free again, so a quick request sent during the slow download is answered at once, and the download completes.",
  hypothesisFrom:
    "Nginx's documentation of proxy_buffering (on by default); asgiref's sync_to_async (sync code in one shared thread), which the lab uvicorn-standalone shows held by a slow download",
  server: { kind: 'uvicorn' },
  nginx: { proxyBuffering: true },
  fileSizeBytes: 4 * 1024 * 1024,
  client: { throttle: 'reader', probes: [{ path: '/ping', afterMs: 1500 }] },
  expect: { workerTimeout: false, sideRequestsWaited: false, outcome: 'complete', checksumMatches: true },
});
