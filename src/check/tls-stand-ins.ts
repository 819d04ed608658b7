// A site as certbot leaves it names files that exist only on its server: Let's Encrypt's certificate and key, certbot's
// `options-ssl-nginx.conf` and dhparams, all under /etc/letsencrypt/. check stands in for them, so the site is checked
// as it is: a self-signed pair made for the run for every certificate and key, certbot's stock options and dhparams,
// in a folder of the run mounted read-only as /etc/letsencrypt. Other missing files are still Nginx's to name.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Mount } from '../topology/topology-spec.ts';
import type { NginxSource, StandIn, StandInKind } from './nginx-source.ts';

export type { StandIn, StandInKind };
import { fileDirectives } from './read-nginx-conf.ts';
import { makeSelfSigned } from './self-signed.ts';

export const LETSENCRYPT = '/etc/letsencrypt';

// What each directive's file is, where it names one under /etc/letsencrypt/.
const KINDS: Record<string, StandInKind> = {
  ssl_certificate: 'certificate',
  ssl_trusted_certificate: 'certificate',
  ssl_certificate_key: 'key',
  ssl_dhparam: 'dhparams',
  include: 'options',
};

// Certbot's options-ssl-nginx.conf as it installs it (certbot-nginx's tls_configs), directive for directive.
export const CERTBOT_OPTIONS = `# Stand-in for certbot's options-ssl-nginx.conf (its stock settings), made by gunicorn-lab check.
ssl_session_cache shared:le_nginx_SSL:10m;
ssl_session_timeout 1440m;
ssl_session_tickets off;

ssl_protocols TLSv1.2 TLSv1.3;
ssl_prefer_server_ciphers off;

ssl_ciphers "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
`;

// Certbot's ssl-dhparams.pem: the ffdhe2048 group of RFC 7919.
export const FFDHE2048 = `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
`;

// Every file under /etc/letsencrypt/ their files name, once each, in the order named; and the first plain server name.
export function findStandIns(files: ReadonlyMap<string, string>): { standIns: StandIn[]; serverName: string | null } {
  const found = new Map<string, StandIn>();
  let serverName: string | null = null;
  for (const text of files.values()) {
    for (const d of fileDirectives(text)) {
      if (d.name === 'server_name') serverName ??= d.args.find((n) => /^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]+$/.test(n)) ?? null;
      const file = d.args[0];
      const kind = KINDS[d.name];
      if (!kind || !file?.startsWith(`${LETSENCRYPT}/`) || found.has(file)) continue;
      found.set(file, { path: file, kind: kind === 'options' && path.posix.basename(file) !== 'options-ssl-nginx.conf' ? 'other' : kind });
    }
  }
  return { standIns: [...found.values()], serverName };
}

// The stand-ins written under dir (as dir/<path below /etc/letsencrypt>), one pair for every certificate and key so
// each matches its key; the mount that puts them at /etc/letsencrypt. Nothing to stand in for: null.
export function writeStandIns(standIns: readonly StandIn[], serverName: string | null, dir: string): Mount | null {
  if (!standIns.length) return null;
  const pair = makeSelfSigned(serverName ?? 'localhost');
  const content: Record<StandInKind, string> = { certificate: pair.certificatePem, key: pair.keyPem, dhparams: FFDHE2048, options: CERTBOT_OPTIONS, other: '' };
  for (const standIn of standIns) {
    const file = path.join(dir, path.posix.relative(LETSENCRYPT, standIn.path));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content[standIn.kind]);
  }
  return { source: dir, target: LETSENCRYPT, mode: 'ro' };
}

// Their source with the stand-ins its files need, written in the run's folder and mounted beside their files.
export function withStandIns(source: NginxSource, runDir: string): NginxSource {
  const { standIns, serverName } = findStandIns(source.files);
  const mount = writeStandIns(standIns, serverName, path.join(runDir, 'stand-ins', 'letsencrypt'));
  return mount ? { ...source, mounts: [...source.mounts, mount], standIns } : source;
}

// For the description line: "stand-ins for /etc/letsencrypt/ (a self-signed pair made for the run for live/x/fullchain.pem,
// live/x/privkey.pem; certbot's options-ssl-nginx.conf, ssl-dhparams.pem)".
export function describeStandIns(standIns: readonly StandIn[]): string | null {
  if (!standIns.length) return null;
  const rel = (s: StandIn) => path.posix.relative(LETSENCRYPT, s.path);
  const pair = standIns.filter((s) => s.kind === 'certificate' || s.kind === 'key').map(rel);
  const certbot = standIns.filter((s) => s.kind === 'dhparams' || s.kind === 'options').map(rel);
  const empty = standIns.filter((s) => s.kind === 'other').map(rel);
  const parts = [
    pair.length ? `a self-signed pair made for the run as ${pair.join(', ')}` : '',
    certbot.length ? `certbot's stock ${certbot.join(', ')}` : '',
    empty.length ? `empty ${empty.join(', ')}` : '',
  ];
  return `stand-ins for ${LETSENCRYPT}/, which only your server has: ${parts.filter(Boolean).join('; ')}`;
}
