// The result of one run for a person at a terminal: hypothesis, what was observed, each check, the claims, the verdict.
import path from 'node:path';
import { formatBytes } from '../lab/parse-size.ts';
import { describeAppServer } from '../topology/app-server.ts';
import type { Lab } from '../lab/schema.ts';
import type { MemoryReading } from '../observe/collect-evidence.ts';
import type { Observation } from '../observe/observation.ts';
import { killLine } from '../observe/app-server-words.ts';
import { bootKillEvents } from '../observe/parse-gunicorn-log.ts';
import { interpret } from './interpret.ts';
import { caddyBufferDirective } from '../topology/front-config.ts';
import { describeCapacity, describeUploadReceived } from '../verdict/judge.ts';
import type { CapacitySearch } from '../observe/capacity-search.ts';
import { capacityChartLines } from './capacity-chart.ts';
import type { RunRecord } from '../run/run-record.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (bytesPerS: number | null) => (bytesPerS === null ? 'unthrottled' : `${formatBytes(bytesPerS)}/s`);

// A run's description with the throttle that stood in, where one did (settleThrottle).
export function withFallback(description: string, throttleFallback: string | null): string {
  return throttleFallback ? `${description} · ${throttleFallback}` : description;
}

export function describeRun(lab: Lab): string {
  const { upload, idleConnections: idle } = lab.client;
  const proxy = lab.nginx
    ? upload
      ? `nginx proxy_request_buffering ${lab.nginx.proxyRequestBuffering ? 'on' : 'off'}${lab.nginx.proxyHttpVersion === '1.0' ? ', proxy_http_version 1.0' : ''}`
      : lab.nginx.protocol === 'uwsgi'
        ? `nginx uwsgi_pass, uwsgi_buffering ${lab.nginx.proxyBuffering ? 'on' : 'off'}`
        : `nginx ${lab.nginx.http2 ? 'http2 on, ' : ''}proxy_buffering ${lab.nginx.proxyBuffering ? 'on' : 'off'}${lab.nginx.proxyHttpVersion === '1.0' ? ', proxy_http_version 1.0' : ''}`
    : lab.front
      ? describeFront(lab.front, lab.release)
      : `no nginx (client → ${lab.server.kind})`;
  return [
    ...(idle ? [`client holds ${idle.count} idle connection(s) for ${idle.seconds} s, then GET ${lab.client.path}`] : []),
    ...(upload
      ? [`client uploads ${formatBytes(upload.sizeBytes)} to ${lab.client.path} at ${rate(upload.rateBytesPerS)}${upload.chunked ? ' in chunks' : ''}`]
      : []),
    ...(lab.client.capacity
      ? [
          `capacity search: up to ${lab.client.capacity.max} slow clients of a ${formatBytes(lab.fileSizeBytes)} file at ${rate(lab.client.rateBytesPerS)} each, probe ${lab.client.capacity.probePaths.join(' or ')} within ${lab.client.capacity.probeWithinMs / 1000} s`,
        ]
      : []),
    // A download's file and pace: what every other lab varies.
    ...(upload || idle || lab.client.capacity
      ? []
      : [
          `${formatBytes(lab.fileSizeBytes)} file`,
          `client ${rate(lab.client.rateBytesPerS)}${lab.client.rateBytesPerS === null ? '' : ` (${lab.client.throttle})`}${lab.client.http2 ? ' over HTTP/2 (h2c)' : ''}`,
        ]),
    describeAppServer(lab),
    proxy,
    `release ${lab.release}`,
  ].join(' · ');
}

// The capacity search in a line: the figure, the stall, the layer that held the clients.
export function describeCapacitySearch(search: CapacitySearch): string {
  const by =
    search.heldBy === null ? '' : search.heldBy === 'front' ? '; held by the front (the app had finished their responses)' : '; held by the app server';
  const leaky = search.leakySteps ? `; ${search.leakySteps} step(s) with slow clients gone before the probe` : '';
  return `${describeCapacity(search)}${by}${leaky}`;
}

export function describeClient(o: Observation): string {
  const c = o.client;
  const of = c.contentLength === null ? (c.chunked ? ' (chunked)' : '') : ` of ${formatBytes(c.contentLength)} (${Math.round(c.fractionReceived * 100)}%)`;
  const status = c.status === null ? 'no response' : `HTTP ${c.status}`;
  return `${status}, ${c.outcome}: ${formatBytes(c.bytesReceived)}${of} in ${seconds(c.durationMs)}, ${c.achievedRateBytesPerS === null ? 'no body' : `${rate(c.achievedRateBytesPerS)} achieved`}`;
}

export function describeGunicorn(o: Observation): string {
  const g = o.gunicorn;
  const kill = killLine(o);
  const head =
    g.server && g.server !== 'gunicorn' ? `${g.server}${g.version ? ` ${g.version}` : ''}` : `gunicorn ${g.version ?? '?'} (${g.workerClass ?? '?'} worker)`;
  const booting = new Set(bootKillEvents(g.events));
  const timeouts = g.events
    .filter((e) => e.kind === 'timeout' && e.atMs >= 0)
    .map((e) => `${kill} (pid ${e.pid}) at ${seconds(e.atMs)}${booting.has(e) ? ' while it was booting' : ''}`);
  const errors = g.events.filter((e) => e.kind === 'error').map((e) => `${e.level} "${e.message}" at ${seconds(e.atMs)}`);
  const boots = g.replacementBoots;
  const access = g.access.length ? `access: ${g.access.map((a) => `${a.status} ${a.bytes ?? '-'} B`).join(', ')}` : 'no access line';
  const early = g.workerTimeoutsBeforeRequest
    ? [`${g.workerTimeoutsBeforeRequest} WORKER TIMEOUT(s) before the request (workers killed while booting: the machine was overloaded)`]
    : [];
  return [
    head,
    ...(timeouts.length ? timeouts : [`no ${kill}`]),
    ...early,
    ...errors,
    ...(boots ? [`${boots} replacement worker${boots === 1 ? '' : 's'} booted`] : []),
    access,
  ].join('; ');
}

// A front in Nginx's place on the description line: "caddy (response_buffers)", "apache (mod_xsendfile)".
export function describeFront(front: NonNullable<Lab['front']>, release: Lab['release']): string {
  const how = front.bufferResponses ? caddyBufferDirective(release) : front.xSendFile ? 'mod_xsendfile' : 'defaults';
  return `${front.kind} in front (${how})`;
}

// The front's lines about the download: its access line (what it sent, how it says it ended) and its errors.
export function describeFrontLines(o: Observation): string | null {
  if (!o.front) return null;
  const errors = o.front.errors.map((e) => `"${e.message}" at ${seconds(e.atMs)}`);
  const access = o.front.access.map(
    (a) =>
      `access: ${a.status}, ${formatBytes(a.bytesSent)} sent${a.durationMs === null ? '' : ` in ${seconds(a.durationMs)}`}${a.ending ? `, ended ${a.ending}` : ''}`,
  );
  return [o.front.kind, ...(errors.length ? errors : ['no error lines']), ...(access.length ? access : ['no access line'])].join('; ');
}

export function describeNginx(o: Observation): string | null {
  if (!o.nginx) return null;
  const errors = o.nginx.errors.filter((e) => e.level !== 'notice').map((e) => `[${e.level}] "${e.message.split(', client:')[0]}" at ${seconds(e.atMs)}`);
  const access = o.nginx.access.map(
    (a) => `access: ${a.status}, ${formatBytes(a.bodyBytesSent)} sent, request ${a.requestTimeS ?? '-'} s, upstream ${a.upstreamResponseTimeS ?? '-'} s`,
  );
  return [`nginx ${o.nginx.version ?? '?'}`, ...(errors.length ? countRepeats(errors) : ['no error lines']), ...countRepeats(access)].join('; ');
}

// Many lines (a capacity search's dozens of requests): each distinct line once, with how often it came, beyond six.
export function countRepeats(lines: readonly string[]): string[] {
  if (lines.length <= 6) return [...lines];
  const counts = new Map<string, number>();
  for (const line of lines.map((l) => l.replace(/ at \d+\.\d+ s$/, ''))) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, n]) => (n > 1 ? `${line} ×${n}` : line));
}

// Peak memory of the app and Nginx containers: the article warns async workers may use more.
export function describeMemory(o: Observation): string {
  const show = (m: MemoryReading | null) =>
    m === null ? 'unknown' : m.kind === 'peak' ? `peak ${formatBytes(m.bytes)}` : `${formatBytes(m.bytes)} at the end (this cgroup keeps no peak)`;
  return `app ${show(o.resources.app)}${o.nginx ? ` · nginx ${show(o.resources.nginx)}` : ''}${o.front ? ` · ${o.front.kind} ${show(o.resources.front ?? null)}` : ''}`;
}

// The log lines a run waited for and never saw: said, so an absent line is not read as an observation.
export function describeMissingLogs(o: Observation): string[] {
  return o.logs.missing.length ? [`waited ${seconds(o.logs.waitedMs)} after the transfer; never came: ${o.logs.missing.join('; ')}`] : [];
}

export function formatRunReport(run: RunRecord): string {
  const { observation: o, verdict } = run;
  const lines = [
    `${run.name}  (run ${run.runId})`,
    `Hypothesis: ${run.hypothesis}`,
    `Description: ${run.description}`,
    '',
    'Observed',
    o.capacitySearch ? `  capacity  ${describeCapacitySearch(o.capacitySearch)}` : `  client    ${describeClient(o)}`,
    ...(o.capacitySearch ? capacityChartLines(o.capacitySearch).map((l) => `            ${l}`) : []),
    `  gunicorn  ${describeGunicorn(o)}`,
  ];
  if (o.upload) lines.push(`  upload    ${describeUploadReceived(o.upload)}`);
  const nginx = describeNginx(o);
  if (nginx) lines.push(`  nginx     ${nginx}`);
  const front = describeFrontLines(o);
  if (front) lines.push(`  front     ${front}`);
  lines.push(`  memory    ${describeMemory(o)}`);
  for (const note of [...(run.notes ?? []), ...describeMissingLogs(o)]) lines.push(`  note      ${note}`);
  const readings = interpret(o);
  if (readings.length) lines.push('', 'Reading', ...readings.map((r) => `  ${r}`));
  lines.push('', 'Checks');
  for (const check of verdict.checks) {
    lines.push(`  ${check.passed ? '✔' : '✘'} ${check.name}: expected ${check.expected}, observed ${check.actual}`);
  }
  if (run.claims.length) {
    lines.push('', 'Article claims');
    for (const claim of run.claims) {
      lines.push(`  ${claim.status.padEnd(9)} "${claim.quote}"`);
      for (const check of claim.checks)
        lines.push(`            ${check.passed ? '✔' : '✘'} ${check.name}: claimed ${check.expected}, observed ${check.actual}`);
    }
  }
  if (run.next?.length) lines.push('', 'Next', ...run.next.map((n) => `  ${n}`));
  const passed = verdict.checks.filter((c) => c.passed).length;
  lines.push(
    '',
    `Verdict: ${verdict.passed ? 'PASS' : 'FAIL'} (${passed}/${verdict.checks.length} checks) in ${seconds(o.timings.startMs + o.timings.transferMs + o.timings.observeMs)} (start ${seconds(o.timings.startMs)}, transfer ${seconds(o.timings.transferMs)})`,
    `Saved: ${path.relative(process.cwd(), run.runDir) || '.'}`,
  );
  return lines.join('\n');
}

// The live line while the client downloads: bytes, share of the file, rate, elapsed.
export function formatProgress(ms: number, bytes: number, totalBytes: number): string {
  const rateNow = ms > 0 ? bytes / (ms / 1000) : 0;
  return `  downloading ${formatBytes(bytes)} / ${formatBytes(totalBytes)} (${Math.round((bytes / totalBytes) * 100)}%)  ${formatBytes(rateNow)}/s  ${seconds(ms)}`;
}
