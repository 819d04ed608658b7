// Renders a canned lab into a stack: the lab images, the Gunicorn command and the nginx.conf the lab asks for.
import type { LabImages } from '../images/build-images.ts';
import type { Lab } from '../lab/schema.ts';
import { LAB_APP, LAB_FRONT, LAB_NGINX, LAB_NGINX_RUN_DIR, CLIENT } from '../docker/confinement.ts';
import { FRONT_PORT, frontFiles } from './front-config.ts';
import { APP_PORT, READINESS_PATH, STATSD } from './gunicorn-command.ts';
import { appServerRun } from './app-server.ts';
import { NGINX_PORT, NGINX_TEMP_PEAK_FILE, SHARED_DATA_DIR, nginxCommand, renderNginxConfig } from './nginx-config.ts';
import { RUN_VOLUME, type TopologySpec } from './topology-spec.ts';
import { LAB_SYSCTLS, PORT_SYSCTLS } from './sysctls.ts';

export const DATA_FILE = 'large.bin';
// On the tmpfs of the lab's read-only Nginx.
export const LAB_NGINX_CONF = `${LAB_NGINX_RUN_DIR}/nginx.conf`;

function frontRole(lab: Lab, images: LabImages): NonNullable<TopologySpec['front']> {
  const front = lab.front!;
  if (!images.front) throw new Error("The fronts' image was not built for this lab.");
  const files = frontFiles(front, lab.release);
  return {
    image: images.front,
    alias: 'front',
    kind: front.kind,
    port: FRONT_PORT,
    mounts: [{ source: RUN_VOLUME, target: SHARED_DATA_DIR, mode: 'ro' }],
    command: files.command,
    env: files.env,
    files: [files.config],
    confinement: LAB_FRONT,
    // Ready once it passes the app's readiness request on: waited for from the client.
    ready: null,
  };
}

export function labStack(lab: Lab, images: LabImages): TopologySpec {
  const server = appServerRun(lab);
  return {
    app: {
      image: images.app,
      alias: 'app',
      port: APP_PORT,
      command: server.command,
      env: {
        FILE_SIZE_BYTES: String(lab.fileSizeBytes),
        DATA_DIR: SHARED_DATA_DIR,
        ...server.env,
        ...(lab.gunicorn.statsd ? { WAIT_FOR_STATSD: `${STATSD.host}:${STATSD.port}` } : {}),
      },
      mounts: [{ source: RUN_VOLUME, target: SHARED_DATA_DIR, mode: 'rw' }],
      ready: server.ready,
      confinement: LAB_APP,
      // Gunicorn's h2c answers its trusted peers (all, here) in HTTP/2 only: the readiness GET, in HTTP/1.1, would be
      // refused ("Expected HTTP/2 connection preface"); its boot lines and an open port stand in.
      readinessPath: lab.server.kind === 'gunicorn' && lab.gunicorn.http2 ? null : READINESS_PATH,
      fileChecksumPath: `${SHARED_DATA_DIR}/${DATA_FILE}.sha256`,
    },
    nginx: lab.nginx
      ? {
          image: images.nginx,
          alias: 'nginx',
          port: NGINX_PORT,
          mounts: [{ source: RUN_VOLUME, target: SHARED_DATA_DIR, mode: 'ro' }],
          command: nginxCommand(LAB_NGINX_CONF),
          tempPeakFile: NGINX_TEMP_PEAK_FILE,
          files: [{ content: renderNginxConfig(lab.nginx), target: LAB_NGINX_CONF }],
          confinement: LAB_NGINX,
          // Ready once it accepts connections: one wait inside the client, not a command polled in Nginx's container.
          ready: null,
        }
      : null,
    front: lab.front ? frontRole(lab, images) : null,
    // With statsd, the client container's main process is the stand-in statsd agent; its log is the metrics.
    client: {
      image: images.client,
      alias: 'client',
      ...(lab.gunicorn.statsd ? { command: ['python3', '/client/statsd-listen.py', String(STATSD.port)] } : {}),
      confinement: CLIENT,
      ready: null,
    },
    // Pinned, unless the lab runs on the kernel's own buffers (a container's network namespace gets the kernel's
    // defaults, not the host's tuned values).
    sysctls: lab.pinSocketBuffers ? LAB_SYSCTLS : PORT_SYSCTLS,
    dataVolume: true,
  };
}
