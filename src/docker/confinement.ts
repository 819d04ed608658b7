// What each container may do: every capability dropped and only what its role needs added back, no privilege
// gained through setuid binaries, a non-root user, a read-only root filesystem with tmpfs where the service
// writes, and memory and process limits. One place, used by labs, `check`, `up` and reproduce.sh alike.

import { engineKind, type EngineKind } from './docker-client.ts';
import { MiB } from '../lab/vocabulary.ts';

// The unprivileged user of the lab's app and client images (uid 1000, owner of the app's /data).
export const LAB_USER = 'lab';
const LAB_UID = 1000;
export const CAP_DROP = ['ALL'] as const;
export const SECURITY_OPT = ['no-new-privileges:true'] as const;
// Docker gives a tmpfs the mode of the image's folder (755, root's): it is made the container user's own. Podman
// refuses uid= and gid= on a tmpfs and keeps the image folder's owner and mode whatever mode= says; its own `U`
// makes the tmpfs the container user's.
// A folder in execTmpfs is mounted with `exec` (a tmpfs is noexec by default).
export function tmpfsOptions(c: Confinement, engine: EngineKind = engineKind(), dir?: string): string {
  const exec = dir !== undefined && c.execTmpfs?.includes(dir) ? ['exec'] : [];
  if (c.uid === undefined) return exec.join(',');
  return [engine === 'podman' ? 'U' : `uid=${c.uid},gid=${c.uid}`, ...exec].join(',');
}

export interface Confinement {
  // The user the container's processes run as; unset: the image's own (a user's image).
  user?: string;
  // That user's uid (and gid), owner of the tmpfs folders.
  uid?: number;
  // HOME for a user whose home folder doesn't exist on a read-only root (Gunicorn 26 puts its control socket there).
  home?: string;
  // Capabilities added back after dropping all of them.
  capAdd: string[];
  readOnlyRoot: boolean;
  // Writable scratch folders on a read-only root (tmpfs, in the container's memory).
  tmpfs: string[];
  // Those of them whose files are run or mapped as code (Varnish loads the VCL it compiles there).
  execTmpfs?: string[];
  memoryBytes: number;
  pids: number;
}

// The lab app image: Gunicorn as `lab`, writing only the run's data volume and /tmp (workers' heartbeat files).
export const LAB_APP: Confinement = {
  user: LAB_USER,
  uid: LAB_UID,
  home: '/tmp',
  capAdd: [],
  readOnlyRoot: true,
  tmpfs: ['/tmp'],
  memoryBytes: 1024 * MiB,
  pids: 512,
};

// A user's own app image: its own user and a writable root (it may write anywhere), still no capabilities.
export const USER_APP_IMAGE: Confinement = { capAdd: [], readOnlyRoot: false, tmpfs: [], memoryBytes: 2048 * MiB, pids: 1024 };

// A lab's Nginx runs wholly as www-data: port 80 needs no capability (Docker lets any user bind low ports in a
// container's own network namespace), and its pid, logs and temp files go to tmpfs. Temp files count in its
// memory, so the limit holds the largest file a lab may buffer (1 GiB).
// Its pid, rendered config and temp-file sampler's peak: a tmpfs of its own under /run (Podman mounts its own tmpfs
// over /run on a read-only root, with none of the options asked for).
export const LAB_NGINX_RUN_DIR = '/run/lab';
export const LAB_NGINX: Confinement = {
  user: 'www-data',
  uid: 33,
  capAdd: [],
  readOnlyRoot: true,
  tmpfs: [LAB_NGINX_RUN_DIR, '/var/lib/nginx', '/var/log/nginx', '/tmp'],
  memoryBytes: 1536 * MiB,
  pids: 64,
};

// The other fronts (images/front) run wholly as www-data too, with their config, pid and work files on a tmpfs of
// their own; Varnish compiles its VCL into a shared object there and loads it, so that one is `exec`. Apache's event
// MPM and Varnish's pool start tens of threads: the process limit leaves room for them.
export const LAB_FRONT_RUN_DIR = '/run/lab';
export const LAB_FRONT: Confinement = {
  user: 'www-data',
  uid: 33,
  capAdd: [],
  readOnlyRoot: true,
  tmpfs: [LAB_FRONT_RUN_DIR, '/tmp'],
  execTmpfs: [LAB_FRONT_RUN_DIR],
  memoryBytes: 1536 * MiB,
  pids: 512,
};

// A user's nginx.conf runs as written: a root master that switches its workers to the `user` it names (SETUID,
// SETGID), hands them its temp folders (CHOWN) and opens log files Debian's package made theirs (DAC_OVERRIDE);
// a writable root, since their paths are theirs to choose.
export const USER_NGINX: Confinement = {
  capAdd: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
  readOnlyRoot: false,
  tmpfs: [],
  memoryBytes: 1536 * MiB,
  pids: 64,
};

// The client runs as `lab` with no capability at all.
// pids: a thread per slow client of the capacity search (up to CAPACITY_RANGE.max, 512), its probes and a margin.
export const CLIENT: Confinement = { user: LAB_USER, uid: LAB_UID, capAdd: [], readOnlyRoot: true, tmpfs: ['/tmp'], memoryBytes: 256 * MiB, pids: 600 };

// NET_ADMIN is held only while the client's download is shaped: by a throwaway container in the client's network
// namespace that runs the throttle (tc) and exits.
export const SHAPER: Confinement = { user: 'root', uid: 0, capAdd: ['NET_ADMIN'], readOnlyRoot: true, tmpfs: [], memoryBytes: 64 * MiB, pids: 16 };

// Podman sets each container's open-files and process limits to its own defaults (1048576 and more), which a host
// whose hard limits are lower refuses ("error setting rlimits ... operation not permitted"; measured here: the
// Podman service held 32768 processes, 20000 files). There both are asked for at 4096, below any host's hard limit
// and above what a lab's containers use; Docker keeps its own.
const PODMAN_ULIMITS = [
  { Name: 'nofile', Soft: 4096, Hard: 4096 },
  { Name: 'nproc', Soft: 4096, Hard: 4096 },
];

// Docker gives an empty volume the owner of the image's folder it is mounted on (the app's /data is `lab`'s); Podman
// mounts it root's, where the app can't write: there the run's data volume is created owned by the app's user.
export function dataVolumeDriverOpts(engine: EngineKind = engineKind()): Record<string, string> | undefined {
  return engine === 'podman' ? { o: `uid=${LAB_APP.uid},gid=${LAB_APP.uid}` } : undefined;
}

// The confinement as Docker's HostConfig, for topology's containers and throwaway ones alike.
export function confinementHostConfig(c: Confinement) {
  return {
    ...(engineKind() === 'podman' ? { Ulimits: PODMAN_ULIMITS.map((u) => ({ ...u })) } : {}),
    CapDrop: [...CAP_DROP],
    CapAdd: [...c.capAdd],
    SecurityOpt: [...SECURITY_OPT],
    ReadonlyRootfs: c.readOnlyRoot,
    Tmpfs: Object.fromEntries(c.tmpfs.map((dir) => [dir, tmpfsOptions(c, engineKind(), dir)])),
    Memory: c.memoryBytes,
    PidsLimit: c.pids,
  };
}

// Environment the confinement needs (HOME on the tmpfs).
export function confinementEnv(c: Confinement): Record<string, string> {
  return c.home ? { HOME: c.home } : {};
}

// The same confinement as `docker run` (or `podman run`) flags (reproduce.sh).
export function confinementFlags(c: Confinement, engine: EngineKind = engineKind()): string[] {
  return [
    ...(engine === 'podman' ? PODMAN_ULIMITS.map((u) => `--ulimit ${u.Name}=${u.Soft}:${u.Hard}`) : []),
    ...CAP_DROP.map((cap) => `--cap-drop ${cap}`),
    ...c.capAdd.map((cap) => `--cap-add ${cap}`),
    ...SECURITY_OPT.map((opt) => `--security-opt ${opt}`),
    ...(c.user ? [`--user ${c.user}`] : []),
    ...(c.home ? [`-e HOME=${c.home}`] : []),
    ...(c.readOnlyRoot ? ['--read-only'] : []),
    ...c.tmpfs.map((dir) => `--tmpfs ${dir}${tmpfsOptions(c, engine, dir) ? `:${tmpfsOptions(c, engine, dir)}` : ''}`),
    `--memory ${c.memoryBytes / MiB}m`,
    `--pids-limit ${c.pids}`,
  ];
}
