// Readings of an observation in plain words: each rule fires only on what was observed, never on what a lab expects.
import { formatBytes } from '../lab/parse-size.ts';
import type { ClientProbe } from '../client/client-output.ts';
import { isClientRequest, type Observation } from '../observe/observation.ts';
import { killLine, serverName } from '../observe/app-server-words.ts';
import { CRITICAL_METRIC } from '../observe/parse-statsd.ts';
import { HELD_FIRST_BYTE_SHARE, LIVE_FIRST_BYTE_SHARE, REQUEST_HELD_MS, firstByteShare, probeHeld, requestKill, timeoutAlert } from '../verdict/judge.ts';

type Rule = (o: Observation) => string | null;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// "Gunicorn 23.0.0", or "Gunicorn" where its version was not seen.
const gunicorn = (o: Observation) => (o.gunicorn.version ? `${serverName(o)} ${o.gunicorn.version}` : serverName(o));

// RFC 9113's error codes, by number, as an RST_STREAM carries them.
const H2_ERRORS: Record<number, string> = { 0: 'NO_ERROR', 1: 'PROTOCOL_ERROR', 2: 'INTERNAL_ERROR', 5: 'STREAM_CLOSED', 8: 'CANCEL' };

const RULES: Rule[] = [
  (o) => {
    // Idle connections: did the request wait behind them, and did the server drop them?
    const idle = o.client.idleClosedMs;
    if (!idle || o.client.waitedMs == null) return null;
    const closed = idle.filter((ms): ms is number => ms !== null);
    const dropped = closed.length
      ? `; the server closed ${closed.length === idle.length ? (idle.length === 1 ? 'it' : 'them all') : `${closed.length} of them`} ${s(Math.min(...closed))} in`
      : '; the server kept it open';
    const kill = o.gunicorn.events.find((e) => e.kind === 'timeout' && e.atMs >= 0);
    const what = `${idle.length} connection${idle.length === 1 ? '' : 's'} that sent nothing`;
    return o.client.waitedMs >= REQUEST_HELD_MS
      ? `${what} held the worker: the request waited ${s(o.client.waitedMs)} for its headers${kill ? `, until the worker was killed ${s(kill.atMs)} in and another answered` : ''}${dropped}.`
      : `${what} did not hold the request: it was answered in ${o.client.waitedMs} ms${dropped}.`;
  },
  (o) => {
    // An upload: where its body went, and who held the worker while it came.
    const u = o.upload;
    if (!u) return null;
    const kill = o.gunicorn.events.find((e) => e.kind === 'timeout' && e.atMs >= 0);
    if (u.whole) {
      const line = o.nginx?.access.find((a) => isClientRequest(o, a.request));
      const held = line && line.upstreamResponseTimeS !== null && line.requestTimeS !== null && line.upstreamResponseTimeS <= line.requestTimeS / 2;
      return held
        ? `Nginx read the ${formatBytes(u.sizeBytes)} body at the client's pace (${line!.requestTimeS} s) and passed it on whole: Gunicorn spent ${line!.upstreamResponseTimeS} s on the request.`
        : `The app received all ${formatBytes(u.sizeBytes)} of the upload at the client's pace and answered ${o.client.status}: its worker read the slow body without being killed.`;
    }
    if (kill) {
      const status = o.client.status === null ? 'no answer' : `a ${o.client.status}`;
      return `The worker was killed ${s(kill.atMs)} into the upload while reading its body (the client wrote ${formatBytes(u.sentBytes)} of ${formatBytes(u.sizeBytes)} in all${u.error ? `, the rest refused: ${u.error}` : ''}): the app never got the whole body, and the client got ${status}.`;
    }
    return null;
  },
  (o) => {
    const kill = requestKill(o);
    const c = o.client;
    if (!kill || c.status === null || c.status >= 300 || c.outcome !== 'truncated') return null;
    // mod_wsgi asks its daemon to stop, waits its shutdown-timeout for the request, then aborts the daemon.
    const aborted = o.gunicorn.server === 'mod_wsgi' && o.gunicorn.events.find((e) => e.kind === 'signal' && e.pid === kill.pid && e.atMs >= kill.atMs);
    if (aborted) {
      return `mod_wsgi asked the daemon process to stop ${s(kill.atMs)} into the request and aborted it ${s(aborted.atMs)} in (its shutdown-timeout), after its ${c.status} headers had gone out: the client keeps that ${c.status} with ${formatBytes(c.bytesReceived)}${c.contentLength === null ? '' : ` of ${formatBytes(c.contentLength)}`} and a cut connection.`;
    }
    return `The worker was killed ${s(kill.atMs)} into the request, after its ${c.status} headers had gone out: the client keeps that ${c.status} with ${formatBytes(c.bytesReceived)}${c.contentLength === null ? '' : ` of ${formatBytes(c.contentLength)}`} and a cut ${c.error?.startsWith('RST_STREAM') ? 'stream' : 'connection'}; no error status can follow headers already sent.`;
  },
  (o) => {
    // Only a 500 logged from the kill on belongs to the killed request.
    const kill = requestKill(o);
    const logged500 = kill && o.gunicorn.access.some((a) => a.status === 500 && a.atMs >= kill.atMs);
    if (!logged500 || o.client.status === null || o.client.status >= 300) return null;
    return `${gunicorn(o)} logs a 500 for the killed request (its error handler runs after the abort), but the client never sees it: it already holds a ${o.client.status}. Read the access log alone and you would report a 500.`;
  },
  (o) => {
    // Gunicorn 26 logs the killed request once, as a success: its access log alone shows nothing wrong.
    const kill = requestKill(o);
    const lines = o.gunicorn.access.filter((a) => isClientRequest(o, a.request));
    const [only] = lines;
    if (!kill || o.client.outcome !== 'truncated' || lines.length !== 1 || !only || only.status >= 300) return null;
    return `${gunicorn(o)} logs the killed request once, as a ${only.status} with ${only.bytes ?? '-'} bytes: its access log alone shows no failure; only the error log's ${killLine(o)} reveals the kill.`;
  },
  (o) => {
    const kill = requestKill(o);
    // No response counts as no error status.
    const status = o.client.status ?? 0;
    if (!kill || status < 500) return null;
    const by = o.gunicorn.access.some((a) => a.status === status)
      ? `Gunicorn's dying worker (it answered ${status} itself)`
      : o.nginx
        ? 'Nginx (the upstream closed with nothing sent)'
        : 'Gunicorn (no proxy in this lab)';
    return `The kill came before any header, so an error status did reach the client: ${status}, written by ${by}.`;
  },
  (o) => {
    const line = o.nginx?.access.find((a) => isClientRequest(o, a.request));
    // An upload's reading says where its body went, an idle connection's who waited (above).
    if (
      !line ||
      o.upload ||
      o.client.idleClosedMs ||
      line.upstreamResponseTimeS === null ||
      line.requestTimeS === null ||
      line.upstreamResponseTimeS > line.requestTimeS / 2
    )
      return null;
    return `Nginx had the whole response from ${serverName(o)} after ${line.upstreamResponseTimeS} s and fed the client for ${line.requestTimeS} s: the worker was free long before the client was done.`;
  },
  (o) => {
    const probe = o.client.probes.find((p): p is ClientProbe & { latencyMs: number } => p.latencyMs !== null);
    if (!probe) return null;
    const sent = `A second request sent ${s(probe.sentMs)} into the download`;
    if (probeHeld(probe, o.client.durationMs)) return `${sent} waited ${s(probe.latencyMs)}: the worker was held by the download.`;
    // With several workers up, another of them answered: that says nothing of the download's own worker.
    const workers = o.gunicorn.workersAtRequest;
    if (workers > 1)
      return `${sent} was answered in ${probe.latencyMs} ms by another worker (${workers} were up): a quick answer says nothing of whether the download held its own.`;
    // No boot seen (a stack already running, its log read from the check's start): how many could answer is unknown.
    if (workers === 0) return `${sent} was answered in ${probe.latencyMs} ms: by the download's worker or another, the logs read don't say.`;
    return `${sent} was answered in ${probe.latencyMs} ms: the download did not hold the worker.`;
  },
  (o) => {
    // A body without a length that ended politely: only its size and checksum against the whole file show the loss.
    const c = o.client;
    if (!o.file.servedAtPath || (c.outcome !== 'complete' && c.outcome !== 'closed') || c.checksumMatches || c.bytesReceived >= o.file.sizeBytes) return null;
    return `The client saw a clean end of the body, yet ${formatBytes(o.file.sizeBytes - c.bytesReceived)} of ${formatBytes(o.file.sizeBytes)} are missing: nothing in the response told it the body was cut.`;
  },
  (o) => {
    // A stream: did its bytes come as they were made, or all at the end?
    const share = firstByteShare(o);
    const c = o.client;
    // No first byte, no share: `share` is null then. An upload's small answer is not a stream.
    if (o.file.servedAtPath || share === null || o.upload || o.client.idleClosedMs) return null;
    const first = share * c.durationMs;
    if (share >= HELD_FIRST_BYTE_SHARE)
      return `The stream's first byte reached the client only after ${s(first)} of ${s(c.durationMs)}: it was held back and delivered at the end, not streamed.`;
    if (share <= LIVE_FIRST_BYTE_SHARE) {
      const gaps = c.maxGapMs === null ? '' : `; the longest wait between arrivals was ${Math.round(c.maxGapMs)} ms`;
      return `The stream's first byte reached the client after ${s(first)} of ${s(c.durationMs)}: it came as it was made${gaps}.`;
    }
    return null;
  },
  (o) => {
    // The article's "monitor worker timeouts", from what was sent: the counter, how soon, and a rule that uses it.
    const alert = timeoutAlert(o);
    if (!alert) return null;
    const when =
      alert.alertAtMs >= alert.killAtMs
        ? `arrived ${Math.round(alert.alertAtMs - alert.killAtMs)} ms after the WORKER TIMEOUT`
        : 'arrived with the WORKER TIMEOUT';
    return `Gunicorn's statsd counter ${CRITICAL_METRIC} ${when}: alert on it (through statsd_exporter, e.g. \`increase(gunicorn_log_critical[5m]) > 0\`), or on the error log line "[CRITICAL] WORKER TIMEOUT".`;
  },
  (o) => {
    // Buffering's cost: what Nginx kept on its disk (temp files) at once for this download.
    const peak = o.nginx?.tempPeakBytes ?? null;
    if (peak === null || peak === 0) return null;
    if (o.upload)
      return `Nginx kept up to ${formatBytes(peak)} of the request body in its temp files at once: buffering moves the slow client's wait from ${serverName(o)} onto Nginx's disk.`;
    return `Nginx kept up to ${formatBytes(peak)} of the download in its temp files at once (${Math.round((peak / o.file.sizeBytes) * 100)} % of the ${formatBytes(o.file.sizeBytes)} file): buffering moves the slow client's wait from ${serverName(o)} onto Nginx's disk.`;
  },
  (o) => {
    // Over HTTP/2 a cut body comes as a reset of its stream (the connection may live on), not as a short read.
    const reset = o.client.outcome === 'truncated' ? /^RST_STREAM, error code (\d+)/.exec(o.client.error ?? '') : null;
    if (!reset) return null;
    const name = H2_ERRORS[Number(reset[1])] ?? `error code ${reset[1]}`;
    return `Over HTTP/2 the cut came as a reset of the download's stream (RST_STREAM ${name}) after its ${o.client.status} headers: an HTTP/2 client is told the body failed, where an HTTP/1.1 client only finds its connection closed short of the Content-Length.`;
  },
  (o) => {
    // Gunicorn 26's sync worker serves no HTTP/2: it says so as it boots, then refuses the h2c preface.
    const fallback = o.gunicorn.events.find((e) => /^HTTP\/2 is not supported by the (\S+) worker/.test(e.message));
    if (!fallback) return null;
    return `${gunicorn(o)} said its ${/by the (\S+) worker/.exec(fallback.message)![1]} worker serves no HTTP/2 and fell back to HTTP/1.1 only${o.client.status === null ? ': the HTTP/2 client got no response (its connection preface refused as an invalid request)' : ''}.`;
  },
  (o) =>
    o.gunicorn.workerTimeoutsBeforeRequest > 0
      ? `Warning: ${o.gunicorn.workerTimeoutsBeforeRequest} worker(s) timed out before the request, while booting: the machine was overloaded (run fewer labs at once with --parallel).`
      : null,
  (o) =>
    o.gunicorn.bootKills > 0
      ? `Warning: ${o.gunicorn.bootKills} worker(s) were killed after the request had started without ever saying they had booted: on a machine this busy the timeout measures the boot, not the download.`
      : null,
];

export function interpret(observation: Observation): string[] {
  return RULES.map((rule) => rule(observation)).filter((line): line is string => line !== null);
}
