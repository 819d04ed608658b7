// `npm run lab -- check ...`: flags → the check of a user's own stack → its report → exit code.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { attachFlagValues } from './attach-flag-values.ts';
import { inUsersWords } from '../project-root.ts';
import { CHECK_FLAGS, parseCheckOptions, type CheckOptions } from '../check/check-options.ts';
import { parseAttachOptions } from '../check/attach-options.ts';
import type { CheckRun } from '../check/check-run.ts';
import type { ClientProgress } from '../client/client-output.ts';
import { describePace } from '../check/pace.ts';
import { formatProgress, formatRunReport } from '../report/terminal.ts';
import { observationJson } from '../report/legacy-keys.ts';
import { serverName } from '../observe/app-server-words.ts';

export const CHECK_HELP = `Usage: npm run lab -- check [options]
Runs the slow-client test against YOUR stack: your nginx.conf, Gunicorn config and app, unchanged.
First an unthrottled reference download (its size and checksum), then the same path through a slow client
(by default one that crawls past Gunicorn's timeout, holding a worker as a slow reader would, then reads the
rest at full speed: the answer in about the timeout);
exit 0 your stack survived it (whole body, same status, no WORKER TIMEOUT), 1 the slow client hurt it,
2 it could not run (the message quotes Nginx or Gunicorn).

Your stack:
  --nginx PATH            your Nginx config as it is: a whole nginx.conf, a site file (server blocks, as in
                          sites-available/), or a folder laid out like /etc/nginx; without it the client
                          talks to Gunicorn
  --upstream NAME:PORT    where your config proxies to, NAME:PORT or unix:/path.sock (default: the one it names)
  --gunicorn-config FILE  your gunicorn.conf.py
  --gunicorn-args "..."   more Gunicorn options, as you type them: "--workers 3 --timeout 30"
  --app DIR --app-module M
                          your app folder and its WSGI app as Gunicorn takes it (mysite.wsgi, app:app);
                          run in the lab's image (Debian's Gunicorn, Flask, Django, gevent, uvicorn: nothing
                          else; a project with its own requirements uses --app-build or --app-image)
  --app-image IMAGE [--app-command "..."]
                          your own image with Gunicorn in it (its own command unless --app-command); uWSGI,
                          Waitress, Uvicorn or Hypercorn are known by that command too (uWSGI's --harakiri is
                          its timeout; the others have none, and a note says where a slow client held them)
  --app-build DIR [--app-command "..."]
                          your Dockerfile in DIR built first (your context, your requirements), then checked
                          as --app-image; an \`ARG BASE=...\` base that is not here and can't be pulled is
                          replaced by the lab's Debian base, and the description line says so
The request:
  --path /url             the URL path of a large download (at least 1 MiB), or of an upload endpoint
  --upload SIZE           send a body of SIZE (at least 1 MiB) to --path instead, written at a crawl past
                          Gunicorn's timeout; judged against an unthrottled upload's status
  --method M              the upload's method: POST (default) or PUT
  --content-type T        the upload's Content-Type (default application/octet-stream)
  --header "Name: value"  an extra request header, e.g. "Host: example.com" (may repeat)
  --rate SIZE             read the whole body steadily at this rate per second instead of the crawl
  --throttle T            a steady reader throttled by network (tc) or reader (paced reads); without --rate,
                          slow enough to last twice Gunicorn's timeout
  --release R             Debian release of the lab's images: bookworm, trixie, sid (--stack R: its old name)
  --try-remedies          then run your stack again with each remedy laid over it, side by side (gevent,
                          gthread, a raised timeout, proxy_buffering on; with --upload, proxy_request_buffering
                          on) and print which fixes it, at what cost
  --keep                  leave your stack up after the verdict, published on 127.0.0.1, with commands that
                          reproduce the check by hand (\`status\`, \`logs check app\`, \`down check\`)
  --capacity              instead of one slow download: how many slow clients (each reading --path at --rate,
                          default 16k/s) your stack holds while a probe is still answered in time; exit 0
                          when it holds at least --capacity-want (default: Gunicorn's workers + 1)
  --probe PATH            the cheap path probed (default: the first of /health, /ping, / answering below 400)
  --probe-within S        a probe answered within S seconds holds (default 1)
  --capacity-max N        open at most N slow clients, 1 to 512 (default 64)
  --capacity-want N       the slow clients your stack must hold to pass
  --json                  the result as JSON on stdout
  --dry-run               check the flags and files, say what would run, start nothing

A stack that already runs (docker compose or any tool): only the slow client joins its network, nothing of yours
is started, changed or exec'd into:
  --attach NETWORK        your Docker network (docker compose: <project>_default)
  --url URL               the download as containers on it reach it, e.g. http://nginx:80/download/report.pdf
  --app-container NAME    the container Gunicorn runs in (its log is read from the check's start on)
  --proxy-container NAME  your proxy's container, whose log is read too
  --timeout S             Gunicorn's timeout, where its command line does not show it (else 30 s)

Examples (the repository's examples/; put your own paths in their place):
  npm run lab -- check --nginx examples/flask/nginx.conf --gunicorn-config examples/flask/gunicorn-sync.conf.py \\
    --app examples/flask --app-module app:app --path /download/report.bin
  npm run lab -- check --nginx examples/flask/site-socket.conf --app examples/flask --app-module app:app \\
    --gunicorn-args "--workers 3 --timeout 5 --bind unix:/run/app/gunicorn.sock -m 007" --path /download/report.bin
  npm run lab -- check --nginx examples/django/nginx.conf --app-build examples/django --path /download/export.bin
  npm run lab -- check --attach shop_default --url http://nginx:80/download/export.bin --app-container shop-django-1`;

// --dry-run: the flags and files checked as a run checks them before Docker; nothing starts.
function wouldCheck(what: string): number {
  process.stdout.write(`dry run: would check ${what}\n`);
  return 0;
}

// --app-build: their Dockerfile built once, before every run that uses it (--try-remedies runs several).
async function buildAppImage(options: CheckOptions, log: (line: string) => void): Promise<void> {
  if (options.app.kind !== 'image' || !options.app.build) return;
  const { requireDocker } = await import('../docker/docker-client.ts');
  await requireDocker();
  const { buildUserImage } = await import('../images/user-image.ts');
  options.app.origin = await buildUserImage(options.app.build, options.release, log);
}

// A capacity check's figure for --json: `capacity: { held, cap, stalledAt, probeWaitMs, workerTimeouts, heldBy }`.
export function capacityJson(run: CheckRun) {
  const search = run.observation.capacitySearch;
  if (!search) return undefined;
  const { held, cap, stalledAt, probeWaitMs, heldBy, probePath, probeWithinMs } = search;
  return { held, cap, stalledAt, probeWaitMs, workerTimeouts: run.observation.gunicorn.workerTimeouts, heldBy, probePath, probeWithinMs };
}

function printRun(run: CheckRun, json: boolean): void {
  if (json) {
    const { name, runId, runDir, description, notes, verdict, observation, reference, gunicorn, userStack, attached } = run;
    const capacity = capacityJson(run);
    process.stdout.write(
      `${JSON.stringify({ name, runId, runDir, description, setup: description, notes, verdict, ...(capacity ? { capacity } : {}), reference: { ...reference, timeline: undefined }, gunicorn, userStack, attached, observation: observationJson(observation) }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${formatRunReport(run)}\n`);
  }
}

export async function runCheckCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: attachFlagValues(argv, CHECK_FLAGS), options: CHECK_FLAGS, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(`check: ${(error as Error).message}`, 'Run `npm run lab -- check --help` for its options.');
  }
  if (parsed.values.help) {
    process.stdout.write(`${inUsersWords(CHECK_HELP)}\n`);
    return 0;
  }
  const json = Boolean(parsed.values.json);
  const live = !json && process.stdout.isTTY;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const runOptions = {
    log,
    command: argv,
    onProgress: live ? (p: ClientProgress, total: number) => process.stdout.write(`\r\x1b[2K${formatProgress(p.ms, p.bytes, total)}`) : undefined,
  };
  const dryRun = Boolean(parsed.values['dry-run']);
  if (parsed.values.attach !== undefined) {
    const attach = parseAttachOptions(parsed.values);
    if (dryRun) return wouldCheck(`the stack on network ${attach.network} at ${attach.url.host}:${attach.url.port}${attach.url.path}`);
    const { runAttach } = await import('../check/run-attach.ts');
    const run = await runAttach(attach, runOptions);
    if (live) process.stdout.write('\r\x1b[2K');
    printRun(run, json);
    return run.verdict.passed ? 0 : 1;
  }
  const options = parseCheckOptions(parsed.values);
  if (parsed.values['try-remedies'] && parsed.values.keep)
    throw new UsageError('--keep leaves one stack up; --try-remedies runs several: use one or the other.');
  if (dryRun) {
    // Their Nginx config's layout is read as a run reads it (a folder without nginx.conf is refused here too).
    const { readNginxSource, describeNginxSource } = await import('../check/nginx-source.ts');
    const nginx = options.nginxPath ? describeNginxSource(readNginxSource(options.nginxPath)) : 'no Nginx';
    return wouldCheck(
      `${nginx}; the app ${options.app.kind === 'dir' ? `${options.app.dir} (${options.app.module})` : options.app.image}; ${options.upload ? 'upload to' : options.capacity ? 'the capacity of slow clients reading' : 'download'} ${options.path}`,
    );
  }
  if (parsed.values['try-remedies']) {
    await buildAppImage(options, log);
    const { tryRemedies } = await import('../check/try-remedies.ts');
    const { formatRemedyTable } = await import('../check/remedy-table.ts');
    const { baseline, rows } = await tryRemedies(options, runOptions);
    if (live) process.stdout.write('\r\x1b[2K');
    if (json)
      process.stdout.write(`${JSON.stringify({ description: baseline.description, setup: baseline.description, pace: baseline.pace, rows }, null, 2)}\n`);
    else {
      const next = baseline.next?.length ? `\nNext\n${baseline.next.map((n) => `  ${n}`).join('\n')}\n` : '';
      process.stdout.write(
        `${formatRunReport({ ...baseline, next: [] })}\n\nRemedies, each laid over your stack with the same client (it ${describePace(baseline.pace, options.upload !== null)}; your files unchanged):\n${formatRemedyTable(rows, serverName(baseline.observation))}\n${next}`,
      );
    }
    return baseline.verdict.passed ? 0 : 1;
  }
  await buildAppImage(options, log);
  const { runCheck } = await import('../check/run-check.ts');
  const run = await runCheck(options, { ...runOptions, keep: Boolean(parsed.values.keep) });
  if (live) process.stdout.write('\r\x1b[2K');
  printRun(run, json);
  if (run.kept) {
    const { describeUp, readHostBuffers } = await import('./up.ts');
    (json ? process.stderr : process.stdout).write(`\n${describeUp(run.name, run.plan, run.kept, readHostBuffers())}\n`);
  }
  return run.verdict.passed ? 0 : 1;
}
