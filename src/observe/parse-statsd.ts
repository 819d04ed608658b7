// Gunicorn's statsd lines (name:value|type, maybe |@rate and |#tags) as the stand-in agent printed them, timed by
// Docker's log timestamps; anything else is left out.
import type { TimedLine } from '../docker/docker-log.ts';
import type { StatsdMetric } from './observation.ts';

// Gunicorn's statsd counter for its critical log lines, WORKER TIMEOUT among them: what an alert watches.
export const CRITICAL_METRIC = 'gunicorn.log.critical';

export function parseStatsdLog(lines: readonly TimedLine[], originEpochMs: number): StatsdMetric[] {
  const metrics: StatsdMetric[] = [];
  for (const { epochMs, text } of lines) {
    const match = /^([^:|\s]+):(-?[\d.]+)\|([a-z]+)/.exec(text.trim());
    if (!match) continue;
    metrics.push({ atMs: epochMs - originEpochMs, name: match[1]!, value: Number(match[2]), type: match[3]! });
  }
  return metrics;
}
