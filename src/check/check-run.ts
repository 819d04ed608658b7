// What a check is and what it leaves: its name, its title, its record (a lab run's with the reference download, what
// was read of the stack, or the running stack it joined) and the options every check run takes. Shared by a started
// stack's check (run-check.ts) and an attached one's (run-attach.ts).
import type { ClientProgress, ClientResult } from '../client/client-output.ts';
import type { RunRecord } from '../run/run-record.ts';
import type { Mount } from '../topology/topology-spec.ts';
import type { BufferRoom } from './buffer-room.ts';
import type { GunicornFacts } from './gunicorn-facts.ts';
import type { Pace } from './pace.ts';
import type { UserStack } from './user-stack.ts';
import type { CheckServer } from './gunicorn-facts.ts';

export const CHECK_NAME = 'check';
// What the lab's app image gives an app folder (images/app/Dockerfile): a project that needs more builds its own.
export const LAB_APP_IMAGE_HAS = "Debian's Gunicorn, Flask, Django, gevent, eventlet where packaged, uvicorn";

export interface CheckRun extends RunRecord {
  reference: ClientResult;
  gunicorn: GunicornFacts | null;
  // How the slow client read (a remedy's run reads alike).
  pace: Pace;
  // What check read of the stack it started, or null for one already running (attached).
  userStack: Omit<UserStack, 'spec'> | null;
  // A stack already running that the client joined (`check --attach`), else null.
  attached: AttachedStack | null;
  // Every file their Nginx read (theirs and the image's), by path, as `nginx -T` showed them; null without Nginx.
  nginxFiles: ReadonlyMap<string, string> | null;
}

export interface CheckRunOptions {
  // A remedy laid over the stack: Gunicorn flags added from outside, a changed copy of their nginx.conf.
  overlay?: { name: string; gunicornArgs?: string[]; uwsgiArgs?: string[]; nginxFiles?: Mount[] };
  runsDir?: string;
  // Leave the stack up after the verdict, published on 127.0.0.1 (`check --keep`); removed if the run fails.
  keep?: boolean;
  log?: (line: string) => void;
  onProgress?: (progress: ClientProgress, totalBytes: number) => void;
  // What the run learned that runs beside it wait for (try-remedies): Gunicorn's timeout and the files Nginx read,
  // then the slow client's pace.
  onRead?: (read: { timeoutS: number; nginxFiles: ReadonlyMap<string, string> | null; server?: CheckServer }) => void;
  onPace?: (pace: Pace) => void;
  // The check as the user ran it (the words after `check`): a failed report names the command that tries remedies.
  command?: readonly string[];
}

// A check's report title: the stack and what happened to it.
export const checkTitle = (stack: string, passed: boolean) => `check: ${stack} — ${passed ? 'survived' : 'hurt'}`;

// A running stack the client joined (`check --attach`).
export interface AttachedStack {
  network: string;
  url: string;
  appContainer: string;
  proxyContainer: string | null;
  // Where Gunicorn's timeout came from: the flag, the app container's command line, or assumed (30 s).
  // no timeout: the server has none that kills a held request (Waitress, Uvicorn, Hypercorn).
  timeoutFrom: 'flag' | 'command line' | 'assumed' | 'no timeout';
  buffers: BufferRoom;
}
