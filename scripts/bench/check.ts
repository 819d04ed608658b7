// `check` timed as a user runs it, from the command's start to its exit.
import { execa } from 'execa';
import type { Release } from '../../src/lab/schema.ts';
import { seconds, table } from './format.ts';

// `check` as a user runs it, at Gunicorn's default 30 s timeout: the sync example (hurt), the gthread one (survives),
// and every remedy over the sync one; wall time from the command's start to its exit.
export const CHECK_TIMEOUT_S = 30;
const CHECK_TARGETS = { checkS: 40, tryRemediesS: 60, capacityS: 60 };

async function timeCheck(release: Release, config: string, extra: string[] = []): Promise<CommandTiming> {
  return timeCommand([
    'check',
    '--nginx',
    'examples/flask/nginx.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--gunicorn-config',
    `examples/flask/gunicorn-${config}.conf.py`,
    '--gunicorn-args',
    `--timeout ${CHECK_TIMEOUT_S}`,
    '--path',
    '/download/report.bin',
    '--release',
    release,
    '--json',
    ...extra,
  ]);
}

// check --capacity on a 3-worker site at Gunicorn's default timeout: the site file with a Unix socket.
function timeCapacitySite(release: Release): Promise<CommandTiming> {
  return timeCommand([
    'check',
    '--nginx',
    'examples/flask/site-socket.conf',
    '--app',
    'examples/flask',
    '--app-module',
    'app:app',
    '--gunicorn-args',
    '--workers 3 --bind unix:/run/app/gunicorn.sock -m 007',
    '--path',
    '/download/report.bin',
    '--release',
    release,
    '--capacity',
    '--json',
  ]);
}

export interface CommandTiming {
  wallMs: number;
  exitCode: number;
}

export interface CheckTimings {
  timeoutS: number;
  hurt: CommandTiming;
  survived: CommandTiming;
  remedies: CommandTiming;
  capacity: CommandTiming;
  capacitySite: CommandTiming;
}

export async function timeCommand(words: string[]): Promise<CommandTiming> {
  const args = ['scripts/lab.mjs', ...words];
  const started = Date.now();
  const { exitCode } = await execa('node', args, { env: { TSX_DISABLE_CACHE: '1' }, reject: false, stdin: 'ignore' });
  return { wallMs: Date.now() - started, exitCode: exitCode ?? 2 };
}

export async function measureCheck(release: Release): Promise<{ text: string; json: CheckTimings }> {
  console.error(`check at --timeout ${CHECK_TIMEOUT_S}: (a) sync, (b) gthread, --try-remedies on (a), --capacity on (a) and on a 3-worker site…`);
  const hurt = await timeCheck(release, 'sync');
  const survived = await timeCheck(release, 'gthread');
  const remedies = await timeCheck(release, 'sync', ['--try-remedies']);
  const capacity = await timeCheck(release, 'sync', ['--capacity']);
  const capacitySite = await timeCapacitySite(release);
  const row = (what: string, r: CommandTiming, expected: number, target: number) => [
    what,
    seconds(r.wallMs),
    `exit ${r.exitCode}${r.exitCode === expected ? '' : ` (expected ${expected})`}`,
    `≤ ${target} s`,
  ];
  return {
    json: { timeoutS: CHECK_TIMEOUT_S, hurt, survived, remedies, capacity, capacitySite },
    text: [
      `check at Gunicorn's default --timeout ${CHECK_TIMEOUT_S} (examples/flask, 8 MiB, wall seconds from the command's start)`,
      table(
        ['check', 'wall', 'outcome', 'target'],
        [
          row('(a) sync, hurt', hurt, 1, CHECK_TARGETS.checkS),
          row('(b) gthread, survives', survived, 0, CHECK_TARGETS.checkS),
          row('(a) --try-remedies, 5 rows', remedies, 1, CHECK_TARGETS.tryRemediesS),
          row('(a) --capacity', capacity, 1, CHECK_TARGETS.capacityS),
          row('3-worker site --capacity', capacitySite, 1, CHECK_TARGETS.capacityS),
        ],
      ),
    ].join('\n'),
  };
}
