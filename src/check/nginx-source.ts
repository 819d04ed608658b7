// A user's Nginx config as they have it, laid over the Nginx image's /etc/nginx without changing a file: a whole
// nginx.conf, a site file (only server, upstream, map, ... blocks, as in sites-available/ or conf.d/) put where
// the image's stock nginx.conf includes sites, or a folder holding a config tree whose entries replace the image's.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { StackError } from '../errors.ts';
import type { Mount } from '../topology/topology-spec.ts';
import { NGINX_CONF, NGINX_PREFIX, isWholeNginxConf } from './read-nginx-conf.ts';

// A file their config names that only their server has, stood in for (tls-stand-ins.ts).
export type StandInKind = 'certificate' | 'key' | 'dhparams' | 'options' | 'other';

export interface StandIn {
  // The path the config names, under /etc/letsencrypt/.
  path: string;
  kind: StandInKind;
}

export type NginxLayout = 'nginx.conf' | 'site file' | 'config folder';

export interface NginxSource {
  layout: NginxLayout;
  // What the user gave (absolute).
  given: string;
  // Their files and folders, mounted read-only over the image's /etc/nginx; what they lack comes from the image.
  mounts: Mount[];
  // The text of their files by the path Nginx sees them at (the stock files are known only once Nginx has read them).
  files: Map<string, string>;
  // Files their config names that only their server has, stood in for (tls-stand-ins.ts); empty where none.
  standIns?: StandIn[];
}

// Debian's stock nginx.conf includes `sites-enabled/*` (the image ships that folder empty).
export const SITES_ENABLED = `${NGINX_PREFIX}/sites-enabled`;
// More files than any config tree has: a folder past this is not a config tree.
const MAX_FILES = 500;
const MAX_FILE_BYTES = 1024 * 1024;

// Their folder's files, by the path Nginx sees them at; links followed as the container will (a link to
// /etc/nginx/... points into their own tree there).
function readTree(dir: string, under: string, files: Map<string, string>): void {
  for (const name of readdirSync(dir).sort()) {
    const host = path.join(dir, name);
    const seen = `${under}/${name}`;
    let stat;
    try {
      stat = statSync(host);
    } catch {
      continue;
    }
    if (stat.isDirectory()) readTree(host, seen, files);
    else if (stat.isFile() && stat.size <= MAX_FILE_BYTES) {
      if (files.size >= MAX_FILES)
        throw new StackError(
          `${dir}: more than ${MAX_FILES} files: not an Nginx config tree.`,
          'Give --nginx the folder laid out like /etc/nginx (nginx.conf and what it includes), or one file.',
        );
      files.set(seen, readFileSync(host, 'utf8'));
    }
  }
}

export function readNginxSource(given: string): NginxSource {
  if (statSync(given).isDirectory()) {
    if (!existsSync(path.join(given, 'nginx.conf'))) {
      throw new StackError(
        `--nginx ${given}: a folder without nginx.conf.`,
        'Give the folder laid out like /etc/nginx (nginx.conf plus the sites-enabled/, conf.d/, snippets/ it includes), or a single file: a whole nginx.conf or a site file.',
      );
    }
    const files = new Map<string, string>();
    readTree(given, NGINX_PREFIX, files);
    const mounts = readdirSync(given)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name): Mount => ({ source: path.join(given, name), target: `${NGINX_PREFIX}/${name}`, mode: 'ro' }));
    return { layout: 'config folder', given, mounts, files };
  }
  const text = readFileSync(given, 'utf8');
  const target = isWholeNginxConf(text) ? NGINX_CONF : `${SITES_ENABLED}/${path.basename(given)}`;
  return {
    layout: target === NGINX_CONF ? 'nginx.conf' : 'site file',
    given,
    mounts: [{ source: given, target, mode: 'ro' }],
    files: new Map([[target, text]]),
  };
}

// Each layout in words, as the description line says it.
export const LAYOUT_WORDS: Record<NginxLayout, string> = {
  'nginx.conf': 'your nginx.conf',
  'site file': "your site file in the image's stock nginx.conf",
  'config folder': "your config folder over the image's /etc/nginx",
};

// What they gave and where Nginx sees it: "your site file /x/app (as /etc/nginx/sites-enabled/app, in ...)".
export function describeNginxSource(source: NginxSource): string {
  if (source.layout === 'config folder') return `your config folder ${source.given} (over the image's /etc/nginx)`;
  return source.layout === 'site file'
    ? `your site file ${source.given} (as ${source.mounts[0]!.target}, in the image's stock nginx.conf)`
    : `your nginx.conf ${source.given} (mounted as ${NGINX_CONF})`;
}

// The mounts with some of their files replaced by changed copies (a remedy): a copy takes its original's place.
export function withReplacedFiles(mounts: readonly Mount[], copies: readonly Mount[]): Mount[] {
  const replaced = new Set(copies.map((c) => c.target));
  return [...mounts.filter((m) => !replaced.has(m.target)), ...copies];
}
