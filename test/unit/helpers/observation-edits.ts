// Edits of an observation that the judge's and the readings' tests share.
import { type Observation } from '../../../src/observe/observation.ts';
import { MiB } from './observation.ts';

export const nginxLine =
  (upstreamS: number | null, requestS: number | null, path = '/download') =>
  (o: Observation) =>
    o.nginx!.access.push({
      atMs: 8000,
      request: `GET ${path} HTTP/1.1`,
      status: 200,
      bodyBytesSent: 8 * MiB,
      requestTimeS: requestS,
      upstreamResponseTimeS: upstreamS,
      upstreamStatus: '200',
    });
