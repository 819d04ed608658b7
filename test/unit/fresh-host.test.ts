// The fresh-host measure's pure parts: when it refuses to purge, and how it reads the stamped output of a round.
import test from 'ava';
import { cgroupMounts, freshHostRefusal, freshHostSteps, freshHostText } from '../../scripts/bench/fresh-host.ts';

const FIT = { uid: 0, hasApt: true, dockerHost: undefined, podmanSocket: false, foreignTags: [], containers: 0 };

test('refuses, naming why, where a purge would not be fresh or would remove what is not the lab', (t) => {
  t.is(freshHostRefusal(FIT), null);
  t.regex(freshHostRefusal({ ...FIT, uid: 1000 })!, /as root/);
  t.regex(freshHostRefusal({ ...FIT, hasApt: false })!, /Debian host \(apt-get\)/);
  t.regex(freshHostRefusal({ ...FIT, dockerHost: 'tcp://10.0.0.1:2375' })!, /DOCKER_HOST is set \(tcp:\/\/10\.0\.0\.1:2375\).*Unset it/);
  t.regex(freshHostRefusal({ ...FIT, podmanSocket: true })!, /Podman's service .* Stop it first/);
  t.regex(freshHostRefusal({ ...FIT, foreignTags: ['postgres:16', 'redis:7', 'nginx:1', 'x:1'] })!, /not the lab's \(postgres:16, redis:7, nginx:1\)/);
  t.regex(freshHostRefusal({ ...FIT, containers: 2 })!, /2 container\(s\).*npm run lab -- clean/);
});

const STAMPED = [
  '0.4 … Debian packages docker.io and mmdebstrap, beside npm (log: .lab/apt.log)',
  '10.0 ✔ npm dependencies (9 s)',
  '31.5 ✔ Debian packages docker.io and mmdebstrap',
  '33.2 ✔ container engine (1.0 s): started (dockerd pid 3282, log .lab/dockerd.log)',
  '71.9   imported the bootstrap of Debian bookworm made beside npm in 4.6 s',
  '76.3 ✔ images for bookworm (43.1 s): gunicorn-lab/app:bookworm-f426509ab7f7',
  '83.5 Verdict: PASS (4/4 checks) in 5.72 s (start 2.51 s, transfer 3.07 s)',
].join('\n');

test("a round's steps: each from its own line, the bootstrap's end as the import's start", (t) => {
  t.deepEqual(freshHostSteps(STAMPED, 83.6, 10.6), {
    totalS: 83.6,
    npmS: 10,
    mmdebstrapS: 10.6,
    aptS: 31.5,
    engineS: 33.2,
    bootstrapS: 67.3,
    importS: 71.9,
    imagesS: 76.3,
    labS: 83.5,
  });
  // A host where Docker was there already: no apt line, no bootstrap beside npm.
  t.like(freshHostSteps('9.0 ✔ npm dependencies (9 s)\n20.0 Verdict: PASS', 20.1, null), { aptS: null, bootstrapS: null, importS: null, labS: 20 });
});

test('the text: a row per round and the median with its spread against the target', (t) => {
  const round = freshHostSteps(STAMPED, 83.6, 10.6);
  const text = freshHostText([round, { ...round, totalS: 80 }, { ...round, totalS: 90, npmS: null }]);
  t.regex(text, /median 83\.6 s, from 80 to 90 s \(target ≤ 45 s\)/);
  t.is(text.split('\n').filter((l) => /^\d /.test(l)).length, 3);
  t.regex(text, /^3 +– /m);
});

test("the host's cgroup mounts, in order, the others left out: a round compares them before and after", (t) => {
  const mounts = [
    'sysfs /sys sysfs rw,nosuid 0 0',
    'cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0',
    'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
    'cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0',
    '',
  ].join('\n');
  t.deepEqual(cgroupMounts(mounts), [
    '/sys/fs/cgroup/cpu cgroup rw,relatime,cpu',
    '/sys/fs/cgroup/memory cgroup rw,relatime,memory',
    '/sys/fs/cgroup/unified cgroup2 rw,relatime',
  ]);
});
