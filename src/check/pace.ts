// How check's slow client reads: by default a crawl that holds a worker as long as a slow reader would (Gunicorn's
// timeout and a margin) and then takes the rest at full speed, so the answer comes in about the timeout whether the
// stack is hurt or not; with --rate or --throttle, a steady reader for the whole body (twice the timeout and 2 s).
import { StackError } from '../errors.ts';
import { formatBytes } from '../lab/parse-size.ts';
import { RATE_RANGE, type THROTTLES } from '../lab/vocabulary.ts';

export type Pace =
  | { kind: 'crawl'; rateBytesPerS: number; seconds: number }
  // named: --throttle was given, so no other throttle stands in for it (see settleThrottle).
  | { kind: 'steady'; rateBytesPerS: number; throttle: (typeof THROTTLES)[number]; named: boolean };

// A server with no timeout that kills a held request (Waitress, Uvicorn, Hypercorn): nothing to outlast, so the crawl
// lasts as for a 10 s timeout, long enough for the second request (1 s in) to show whether a slow client holds a thread.
export const NO_TIMEOUT_HOLD_S = 10;

// Past the timeout by this much: Gunicorn's arbiter looks about once a second, and the request's heartbeat may be
// up to a second old when the body starts.
export const crawlSeconds = (timeoutS: number) => timeoutS + Math.max(3, Math.ceil(timeoutS / 10));

// Slow enough that the steady download lasts twice Gunicorn's timeout and two seconds more: a worker held for the
// whole download is killed, one that is not held survives.
export function checkRate(bytes: number, timeoutS: number): number {
  return Math.max(RATE_RANGE.min, Math.floor(bytes / (2 * timeoutS + 2)));
}

// The crawl reads at most half of what the buffers on the way leave of the body, so a worker that must send the
// whole body is still blocked when its timeout comes; roomBytes: what those buffers hold. A body too small for that
// is refused with the size it must have (strict), or crawled at the slowest rate (a stack check does not set up).
export function crawlPace(bodyBytes: number, timeoutS: number, roomBytes: number, strict: boolean): Pace & { kind: 'crawl' } {
  const seconds = crawlSeconds(timeoutS);
  const rate = Math.floor((bodyBytes - roomBytes) / (2 * seconds));
  if (rate < RATE_RANGE.min && strict) {
    const needed = roomBytes + 2 * seconds * RATE_RANGE.min;
    throw new StackError(
      `The download (${formatBytes(bodyBytes)}) is too small to hold a worker for Gunicorn's ${timeoutS} s timeout: the socket buffers on the way hold up to ${formatBytes(roomBytes)}, and the client must still be reading ${seconds} s in.`,
      `Give a download of at least ${formatBytes(needed)} (--path), or pass --rate to read this one steadily.`,
    );
  }
  return { kind: 'crawl', rateBytesPerS: Math.max(RATE_RANGE.min, rate), seconds };
}

// The pace a check asks for: steady where --rate or --throttle was given, else the crawl.
export function choosePace(
  asked: { rateBytesPerS: number | null; throttle: (typeof THROTTLES)[number] | null },
  bodyBytes: number,
  timeoutS: number,
  roomBytes: number,
  strict: boolean,
): Pace {
  if (asked.rateBytesPerS !== null || asked.throttle !== null) {
    return {
      kind: 'steady',
      rateBytesPerS: asked.rateBytesPerS ?? checkRate(bodyBytes, timeoutS),
      throttle: asked.throttle ?? 'network',
      named: asked.throttle !== null,
    };
  }
  return crawlPace(bodyBytes, timeoutS, roomBytes, strict);
}

// upload: the client writes the body at this pace (an upload), instead of reading one.
export function describePace(pace: Pace, upload = false): string {
  if (upload)
    return pace.kind === 'crawl'
      ? `writes its body at a crawl (${formatBytes(pace.rateBytesPerS)}/s) for ${pace.seconds} s, then the rest at full speed`
      : `writes its body at ${formatBytes(pace.rateBytesPerS)}/s`;
  return pace.kind === 'crawl'
    ? `crawls at ${formatBytes(pace.rateBytesPerS)}/s for ${pace.seconds} s, then reads the rest at full speed`
    : `${formatBytes(pace.rateBytesPerS)}/s (${pace.throttle})`;
}

// How long the slow download lasts, about: the crawl's seconds, or the whole body at the steady rate.
export const paceSeconds = (pace: Pace, bodyBytes: number) => (pace.kind === 'crawl' ? pace.seconds : Math.round(bodyBytes / pace.rateBytesPerS));
