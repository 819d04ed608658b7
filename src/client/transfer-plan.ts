// What the client does to a stack, whoever wrote the stack: the request, its pace and throttle, the side requests, and
// the body it expects. A lab renders into one (labPlan); check makes one from its reference download (check/).
import type { Lab, Server } from '../lab/schema.ts';

export type ClientPlan = Lab['client'];

export interface TransferPlan {
  client: ClientPlan;
  // The body's expected size: the lab's file, or what check's reference download got.
  expectedBytes: number;
  // Gunicorn sends statsd metrics to a listener in the client container (a lab's own app).
  statsd: boolean;
  // The app server whose logs the observation reads (absent: Gunicorn, as under check).
  server?: Server;
}

export function labPlan(lab: Lab): TransferPlan {
  return { client: lab.client, expectedBytes: lab.fileSizeBytes, statsd: lab.gunicorn.statsd, server: lab.server.kind };
}

// The same request at full speed, with no side requests: check's reference download.
export function unthrottled(plan: TransferPlan, maxSeconds: number): TransferPlan {
  return { ...plan, client: { ...plan.client, rateBytesPerS: null, probes: [], capacity: undefined, maxSeconds } };
}
