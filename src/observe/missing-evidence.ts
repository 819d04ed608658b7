// What an expectation needs to see in the logs, and which of it an observation still lacks: the run waits for
// those lines (with a deadline) instead of a fixed pause, and says which never came.
import type { Expectation } from '../lab/schema.ts';
import { frontSays, isClientRequest, type Observation } from './observation.ts';
import { CRITICAL_METRIC } from './parse-statsd.ts';

export function missingEvidence(expectation: Expectation, o: Observation): string[] {
  const missing: string[] = [];
  const download = (request: string) => isClientRequest(o, request);
  if (
    (expectation.workerTimeout === true || expectation.timeoutAlert === true || expectation.workerTimeoutNearS !== undefined) &&
    o.gunicorn.workerTimeouts === 0
  )
    missing.push("Gunicorn's WORKER TIMEOUT line");
  if (expectation.timeoutAlert === true && !o.statsd?.some((m) => m.name === CRITICAL_METRIC)) missing.push(`Gunicorn's statsd ${CRITICAL_METRIC}`);
  if (expectation.nginxErrorIncludes && !o.nginx?.errors.some((e) => e.message.includes(expectation.nginxErrorIncludes!))) {
    missing.push(`Nginx's error line "${expectation.nginxErrorIncludes}"`);
  }
  if (expectation.frontLogIncludes && !frontSays(o, expectation.frontLogIncludes)) missing.push(`the front's line "${expectation.frontLogIncludes}"`);
  if (expectation.gunicornAccessStatus !== undefined && !o.gunicorn.access.some((a) => a.status === expectation.gunicornAccessStatus)) {
    missing.push(`Gunicorn's access line with status ${expectation.gunicornAccessStatus}`);
  }
  if (expectation.gunicornRequestMaxMs !== undefined && !o.gunicorn.access.some((a) => download(a.request)))
    missing.push("Gunicorn's access line for the download");
  // Nginx logs the download when it ends; every report shows that line.
  if (o.nginx && o.client.status !== null && !o.nginx.access.some((a) => download(a.request))) missing.push("Nginx's access line for the download");
  return missing;
}
