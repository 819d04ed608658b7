// The newest Gunicorn (Debian sid): every lab it can run passes together; the worker it lacks is really gone.
import test from 'ava';
import { execa } from 'execa';
import { ensureImages } from '../../src/images/build-images.ts';
import { listLabNames, loadLab } from '../../src/lab/load-lab.ts';
import { MISSING_FRONTS, MISSING_WORKERS, missingOn, releasesWith } from '../../src/lab/schema.ts';
import { describeFailedLabs } from './helpers/failed-labs.ts';
import { leftovers, NOTHING_LEFT, requireDocker } from './helpers/docker-state.ts';
import { runCli } from './helpers/run-cli.ts';
import { PROJECT, PROJECT_LABEL } from '../../src/topology/names.ts';

test.before(async () => {
  await requireDocker();
});

test.serial('every lab whose worker sid has passes on sid, run together; the one it lacks is named as not run', async (t) => {
  // Every lab of a release, four at a time: minutes, more than AVA's default bound as labs are added.
  t.timeout(10 * 60_000, 'every lab on sid');
  const { exitCode, stdout, stderr } = await runCli(['--all', '--release', 'sid', '--parallel', '4', '--json']);
  const result = JSON.parse(stdout) as {
    summary: Array<{ name: string; release: string; runId?: string; passed: boolean; observed: string }>;
    notes: string[];
    errors: unknown[];
  };
  t.is(exitCode, 0, `${describeFailedLabs(result.summary)}\n${stderr.slice(-2000)}`);
  t.deepEqual(result.errors, []);
  const runnable = [];
  for (const name of listLabNames()) {
    const { lab } = await loadLab(name);
    if (!missingOn(lab, 'sid') && !lab.slow) runnable.push(name);
  }
  t.deepEqual(
    result.summary.map((s) => s.name),
    runnable,
  );
  t.true(result.notes.includes('eventlet-worker [sid] not run: Gunicorn 26 removed the eventlet worker'), result.notes.join('\n'));
  t.true(result.notes.includes('front-varnish [sid] not run: Debian sid has no varnish package'), result.notes.join('\n'));
  t.deepEqual(await leftovers(), NOTHING_LEFT, 'the matrix left containers, networks or volumes behind');
});

test.serial("sid's Gunicorn refuses each worker class the schema says it lacks, and the lab named alone says why", async (t) => {
  const images = await ensureImages('sid');
  for (const worker of Object.keys(MISSING_WORKERS.sid ?? {})) {
    // Gunicorn loads the worker class as it starts: a missing one ends it at once (the timeout only bounds a surprise;
    // the label lets the leftovers check below see a container that outlived it).
    const run = await execa(
      'docker',
      ['run', '--rm', '--label', `${PROJECT_LABEL}=${PROJECT}`, '-e', 'FILE_SIZE_BYTES=1024', images.app, 'gunicorn', '--worker-class', worker, 'app:app'],
      { reject: false, timeout: 60_000 },
    );
    t.not(run.exitCode, 0);
    t.regex(`${run.stdout}${run.stderr}`, new RegExp(`class uri '${worker}' invalid or not found`));
  }
  t.false(releasesWith('eventlet').includes('sid'));
  // The fronts' image on sid really has no server the schema says sid lacks.
  const fronts = await ensureImages('sid', () => undefined, true);
  const programs: Record<string, string> = { varnish: 'varnishd', caddy: 'caddy', haproxy: 'haproxy', apache: 'apache2' };
  for (const front of Object.keys(MISSING_FRONTS.sid ?? {})) {
    const found = await execa(
      'docker',
      ['run', '--rm', '--label', `${PROJECT_LABEL}=${PROJECT}`, '--network', 'none', fronts.front!, 'sh', '-c', `command -v ${programs[front]}`],
      { reject: false, timeout: 60_000 },
    );
    t.not(found.exitCode, 0, `${front} is in sid's fronts image after all: ${found.stdout}`);
  }
  const present = await execa(
    'docker',
    ['run', '--rm', '--label', `${PROJECT_LABEL}=${PROJECT}`, '--network', 'none', fronts.front!, 'sh', '-c', 'command -v caddy'],
    { reject: false, timeout: 60_000 },
  );
  t.is(present.exitCode, 0, 'the same look finds a server that is there');
  const { exitCode, stderr } = await runCli(['eventlet-worker', '--release', 'sid']);
  t.is(exitCode, 2);
  t.regex(stderr, /gunicorn\.worker: eventlet is not available on sid: Gunicorn 26 removed the eventlet worker; run it on bookworm or trixie/);
  t.deepEqual(await leftovers(), NOTHING_LEFT);
});
