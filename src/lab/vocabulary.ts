// The lab's vocabulary without the schema: the releases, worker classes, fronts, outcomes and ranges, and what is
// worked out from them. Kept apart from schema.ts so that a run whose lab was validated before (load-lab.ts keeps
// each validated lab) never loads zod: the commands and the run path import from here.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

// Debian releases the images are built on: Gunicorn 20.1 / Nginx 1.22, 23.0 / 1.26, and sid's newest (26.x / 1.30).
export const RELEASES = ['bookworm', 'trixie', 'sid'] as const;
// The app servers a lab may run the Flask app on: Gunicorn (its worker classes below), uWSGI, Waitress, and the ASGI
// servers Uvicorn and Hypercorn alone (the app wrapped as ASGI by asgiref, images/app/asgi.py).
export const SERVERS = ['gunicorn', 'uwsgi', 'waitress', 'uvicorn', 'hypercorn', 'mod_wsgi'] as const;
export type Server = (typeof SERVERS)[number];
// How Nginx speaks to the app: HTTP (proxy_pass), or uWSGI's own protocol (uwsgi_pass, to a uWSGI server only).
export const UPSTREAM_PROTOCOLS = ['http', 'uwsgi'] as const;
// asgi: Gunicorn's own ASGI worker (gunicorn.workers.gasgi, since Gunicorn 24).
export const WORKERS = ['sync', 'gthread', 'gevent', 'eventlet', 'uvicorn', 'asgi'] as const;
// Worker classes a release's Gunicorn no longer ships, and why: such a lab cannot run there.
// (Checked against the images by an integration test: Gunicorn refuses the class.)
export const MISSING_WORKERS: { readonly [S in (typeof RELEASES)[number]]?: { readonly [W in (typeof WORKERS)[number]]?: string } } = {
  bookworm: { asgi: 'Gunicorn 20.1 has no ASGI worker of its own (Gunicorn 24 added it)' },
  trixie: { asgi: 'Gunicorn 23 has no ASGI worker of its own (Gunicorn 24 added it)' },
  sid: { eventlet: 'Gunicorn 26 removed the eventlet worker' },
};
// The fronts a lab may put before Gunicorn instead of Nginx (images/front), and the releases whose Debian lacks one.
export const FRONTS = ['caddy', 'haproxy', 'apache', 'varnish'] as const;
export const MISSING_FRONTS: { readonly [S in (typeof RELEASES)[number]]?: { readonly [F in (typeof FRONTS)[number]]?: string } } = {
  sid: { varnish: 'Debian sid has no varnish package' },
};
// Cleartext HTTP/2 (h2c) where a lab asks for it: Gunicorn's (--http2-cleartext, 26.2) and Nginx's (`http2 on`, 1.25.1:
// HTTP/2 and HTTP/1.1 on one port, which the readiness checks need), and the releases whose packages lack it.
export const MISSING_HTTP2: { readonly [S in (typeof RELEASES)[number]]?: { readonly gunicorn?: string; readonly nginx?: string } } = {
  bookworm: {
    gunicorn: 'Gunicorn 20.1 has no HTTP/2 (Gunicorn 25 added it, 26.2 its cleartext h2c)',
    nginx: 'Nginx 1.22 serves cleartext HTTP/2 only on a port that then refuses HTTP/1.1 (the `http2` directive that serves both came in 1.25.1)',
  },
  trixie: { gunicorn: 'Gunicorn 23 has no HTTP/2 (Gunicorn 25 added it, 26.2 its cleartext h2c)' },
};
export const THROTTLES = ['network', 'reader'] as const;
export const PROBE_OUTCOMES = ['immediate', 'held'] as const;
// How a streamed body reached the client: as it was made (first byte early), or held back and sent at the end.
export const STREAMING_OUTCOMES = ['live', 'held'] as const;
// How much of the download Nginx kept in its temp files at once: most of the file, or nothing.
export const SPILL_OUTCOMES = ['most', 'none'] as const;
// What the client's path answers with: the lab's file (its size and checksum are compared) or a body of its own.
export const BODIES = ['file', 'other'] as const;
// How the client's transfer ended. complete: the whole body its length or chunks announced; truncated: part of
// it (cut, reset or malformed after some bytes); closed: a body with no length ended by the server's close,
// complete or not (only a known size and checksum tell); reset: reset before any body byte.
export const OUTCOMES = ['complete', 'truncated', 'closed', 'reset', 'client-timeout', 'no-response', 'connect-error'] as const;

// The capacity search's cap: how many slow clients it may open at most.
export const CAPACITY_RANGE = { min: 1, max: 512 } as const;
// Which layer held the capacity search's slow clients: the front (the app had finished their responses), the socket
// buffers (the same with no front: the responses fit in them), or the app.
export const CAPACITY_HOLDERS = ['front', 'buffers', 'app'] as const;

export const FILE_SIZE_RANGE = { min: 1 * KiB, max: 1 * GiB } as const;
// A request body's Content-Type: type/subtype, parameters after a semicolon.
export const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;
export const RATE_RANGE = { min: 1 * KiB, max: 1 * GiB } as const;
export const TIMEOUT_RANGE = { min: 1, max: 3600 } as const;

// The releases whose Gunicorn has this worker class.
export function releasesWith(worker: Worker): Release[] {
  return RELEASES.filter((release) => !MISSING_WORKERS[release]?.[worker]);
}

// What decides where a lab can run: its worker class, its front, and cleartext HTTP/2 where it asks for it.
export interface ReleaseNeeds {
  gunicorn: { worker: Worker; http2?: boolean };
  front: { kind: Front } | null;
  nginx?: { http2?: boolean } | null;
}

// Why a lab's HTTP/2 can't run on a release, or undefined where it can (or asks for none).
export function missingHttp2(lab: ReleaseNeeds, release: Release): { path: 'gunicorn' | 'nginx'; why: string } | undefined {
  const missing = MISSING_HTTP2[release];
  if (lab.gunicorn.http2 && missing?.gunicorn) return { path: 'gunicorn', why: missing.gunicorn };
  if (lab.nginx?.http2 && missing?.nginx) return { path: 'nginx', why: missing.nginx };
  return undefined;
}

// Why a lab can't run on a release (its worker class, its front or its HTTP/2 is missing there), or undefined.
export function missingOn(lab: ReleaseNeeds, release: Release): string | undefined {
  return (
    MISSING_WORKERS[release]?.[lab.gunicorn.worker] ?? (lab.front ? MISSING_FRONTS[release]?.[lab.front.kind] : undefined) ?? missingHttp2(lab, release)?.why
  );
}

// The releases a lab can run on.
export function labReleases(lab: ReleaseNeeds): Release[] {
  return RELEASES.filter((release) => !missingOn(lab, release));
}

// The expectation in force on the lab's release: `expect` with that release's keys laid over it.
// Gunicorn's --timeout when none is given.
export const GUNICORN_DEFAULT_TIMEOUT_S = 30;

export function expectationFor<E extends object>(lab: { expect: E; expectByRelease: { readonly [R in Release]?: Partial<E> }; release: Release }): E {
  return { ...lab.expect, ...lab.expectByRelease[lab.release] };
}

export type Worker = (typeof WORKERS)[number];
export type CapacityHolder = (typeof CAPACITY_HOLDERS)[number];
export type Front = (typeof FRONTS)[number];
export type Release = (typeof RELEASES)[number];
export type Outcome = (typeof OUTCOMES)[number];
