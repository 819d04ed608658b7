// A run folder's `reproduce.sh`: the same stack started again by hand with the engine's own CLI alone (`docker`, or
// `podman` for a run on Podman: the same images, config files, commands and pinned buffers), the client run once, the
// verdict's evidence shown, all removed.
import { READINESS_PATH } from '../topology/gunicorn-command.ts';
import { engineKind, type EngineKind } from '../docker/docker-client.ts';
import { SHAPER, confinementFlags, dataVolumeDriverOpts } from '../docker/confinement.ts';
import { OWNER_LABEL, OWNER_NS_LABEL, PROJECT, PROJECT_LABEL, RUN_LABEL } from '../topology/names.ts';
import {
  RUN_SOCKET_VOLUME,
  RUN_VOLUME,
  SOCKET_VOLUME_OPTIONS,
  proxyOf,
  usesSocketVolume,
  type RoleSpec,
  type TopologySpec,
} from '../topology/topology-spec.ts';

export interface ReproduceInput {
  name: string;
  runId: string;
  spec: TopologySpec;
  clientCommand: string[];
  throttle: string[] | null;
  // The engine the run used: its CLI and its forms of the options (Podman's tmpfs, limits and volume owner).
  engine?: EngineKind;
}

export interface ReproduceFiles {
  // Relative to the run folder: the script, and the config files it mounts (a lab's rendered nginx.conf).
  files: Array<{ path: string; text: string; executable?: boolean }>;
}

const q = (word: string) => (/^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`);

function runLine(engine: EngineKind, role: string, spec: RoleSpec, mountFile: (target: string) => string, sysctls: Record<string, string>): string {
  const parts = [
    `${engine} run -d`,
    `--name "$run-${role}"`,
    '--network "$net"',
    `--network-alias ${q(spec.alias)}`,
    `--label ${PROJECT_LABEL}=${PROJECT} --label ${RUN_LABEL}="$run" --label ${OWNER_LABEL}=$$ --label ${OWNER_NS_LABEL}="$ns"`,
    ...Object.entries(sysctls).map(([k, v]) => `--sysctl ${k}=${q(v)}`),
    ...confinementFlags(spec.confinement, engine),
    ...Object.entries(spec.env ?? {}).map(([k, v]) => `-e ${q(`${k}=${v}`)}`),
    ...(spec.mounts ?? []).map(
      (m) => `-v ${m.source === RUN_VOLUME ? '"$run-data"' : m.source === RUN_SOCKET_VOLUME ? '"$run-socket"' : q(m.source)}:${m.target}:${m.mode}`,
    ),
    ...(spec.files ?? []).map((f) => `-v "$here/${mountFile(f.target)}":${f.target}:ro`),
    ...(spec.entrypoint ? [`--entrypoint ${q(spec.entrypoint[0] ?? '')}`] : []),
    // The image and its command on one line, as one would type them.
    [spec.image, ...(spec.entrypoint?.slice(1) ?? []), ...(spec.command ?? [])].map(q).join(' '),
  ];
  return `${parts.join(' \\\n  ')} >/dev/null`;
}

export function reproduceFiles(input: ReproduceInput): ReproduceFiles {
  const engine = input.engine ?? engineKind();
  const dataOpts = Object.entries(dataVolumeDriverOpts(engine) ?? {})
    .map(([k, v]) => ` --opt ${k}=${v}`)
    .join('');
  const files: ReproduceFiles['files'] = [];
  const mountFile = (target: string) => `stack/${target.split('/').at(-1)}`;
  for (const role of [input.spec.app, input.spec.nginx, input.spec.front, input.spec.client]) {
    for (const f of role?.files ?? []) files.push({ path: mountFile(f.target), text: f.content });
  }
  const { app } = input.spec;
  // The proxy in front: Nginx, or another front (Caddy, HAProxy, Apache, Varnish).
  const proxy = proxyOf(input.spec);
  const target = proxy ? `${proxy.spec.alias}:${proxy.spec.port}` : `${app.alias}:${app.port}`;
  const labels = `--label ${PROJECT_LABEL}=${PROJECT} --label ${RUN_LABEL}="$run" --label ${OWNER_LABEL}=$$ --label ${OWNER_NS_LABEL}="$ns"`;
  const socketOptions = Object.entries(SOCKET_VOLUME_OPTIONS)
    .map(([k, v]) => `--opt ${k}=${v}`)
    .join(' ');
  const volumes = [...(input.spec.dataVolume ? ['"$run-data"'] : []), ...(usesSocketVolume(input.spec) ? ['"$run-socket"'] : [])];
  const lines = [
    '#!/bin/sh',
    `# Re-runs ${input.name} (run ${input.runId}) by hand with the ${engine} CLI: the same images, config files and`,
    '# commands as the run, the slow client once, then the logs that decide the verdict. Removes what it started.',
    'set -eu',
    'here=$(cd "$(dirname "$0")" && pwd)',
    `run=lab-repro-${input.name}-$$`,
    'net="$run"',
    'ns=$(readlink /proc/self/ns/pid 2>/dev/null || echo unknown)',
    // Only what the script makes: Podman's `rm` removes nothing where one name it is given does not exist.
    `cleanup() { ${engine} rm -f ${['app', ...(proxy ? [proxy.role] : []), 'client'].map((role) => `"$run-${role}"`).join(' ')} >/dev/null 2>&1 || true; ${engine} network rm "$net" >/dev/null 2>&1 || true;${volumes.length ? ` ${engine} volume rm ${volumes.join(' ')} >/dev/null 2>&1 || true;` : ''} }`,
    'trap cleanup EXIT',
    "trap 'exit 130' INT TERM",
    `${engine} network create ${labels} "$net" >/dev/null`,
    ...(input.spec.dataVolume ? [`${engine} volume create ${labels}${dataOpts} "$run-data" >/dev/null`] : []),
    ...(usesSocketVolume(input.spec) ? [`${engine} volume create ${labels} ${socketOptions} "$run-socket" >/dev/null`] : []),
    // The containers start at once, as the lab starts them (Nginx resolves the app per request); each start's own
    // exit status is waited for, so a failed one ends the script (set -e) and the trap removes the rest.
    `${runLine(engine, 'app', app, mountFile, input.spec.sysctls)} &`,
    'started="$!"',
    ...(proxy ? [`${runLine(engine, proxy.role, proxy.spec, mountFile, input.spec.sysctls)} &`, 'started="$started $!"'] : []),
    `${runLine(engine, 'client', input.spec.client, mountFile, input.spec.sysctls)} &`,
    'started="$started $!"',
    'for pid in $started; do wait "$pid"; done',
    // The throttle from a throwaway container in the client's network namespace: the only holder of NET_ADMIN.
    ...(input.throttle
      ? [
          `${engine} run --rm --network "container:$run-client" ${confinementFlags(SHAPER, engine).join(' ')} ${q(input.spec.client.image)} ${input.throttle.map(q).join(' ')}`,
        ]
      : []),
    // An app on a Unix socket only has bound it once a worker boots.
    app.port === null
      ? `until ${engine} logs "$run-app" 2>&1 | grep -q 'Booting worker'; do sleep 0.2; done`
      : `${engine} exec "$run-client" python3 /client/wait-ready.py ${q(app.alias)} ${app.port} ${q(app.readinessPath ?? '-')} 30`,
    // Nginx once it accepts connections; another front once it passes the app's readiness request on.
    ...(proxy
      ? [
          `${engine} exec "$run-client" python3 /client/wait-ready.py ${q(proxy.spec.alias)} ${proxy.spec.port} ${proxy.role === 'front' ? q(app.readinessPath ?? '-') : '-'} 30`,
        ]
      : []),
    `echo "client: $(${engine} exec "$run-client" ${[...input.clientCommand, '--summary'].map(q).join(' ')})"`,
    'sleep 0.3',
    `echo "gunicorn: $(${engine} logs "$run-app" 2>&1 | grep -E 'WORKER TIMEOUT|Error handling request|^access' | grep -v ${q(READINESS_PATH.split('?')[0] ?? '/ping')} | tr '\\n' ';')"`,
    ...(proxy?.role === 'front' ? [`echo "front: $(${engine} logs "$run-front" 2>&1 | grep -v lab-readiness | tail -n 3 | tr '\\n' ';')"`] : []),
    ...(proxy?.role === 'nginx' ? [`echo "nginx: $(${engine} logs "$run-nginx" 2>&1 | grep -E '\\[error\\]' | cut -d, -f1 | tr '\\n' ';')"`] : []),
    `# The target the client used: ${target}.`,
  ];
  files.push({ path: 'reproduce.sh', text: `${lines.join('\n')}\n`, executable: true });
  return { files };
}
