// Reads what `check` needs from a user's Nginx config without changing it: listen port, upstreams, log files.
// It follows `include`s through the files Nginx itself read (`nginx -T`), globs and relative paths as Nginx
// resolves them. A tokenizer, not a full parser: enough for the directives below, with quotes, comments and blocks.
import path from 'node:path';
import { tcp, unix, type Endpoint } from '../topology/endpoint.ts';

export const NGINX_PREFIX = '/etc/nginx';
export const NGINX_CONF = `${NGINX_PREFIX}/nginx.conf`;

export interface NginxConfFacts {
  // The first `listen` port (80 where none is given).
  listenPort: number;
  // Every endpoint a `proxy_pass` reaches, directly or through an `upstream` block: host:port or a Unix socket.
  upstreams: Endpoint[];
  // Where access and error lines go: files to read after the run (not /dev/stdout, stderr, syslog or off).
  accessLogFiles: string[];
  errorLogFiles: string[];
  // Whether the config sets `daemon` itself (then `-g "daemon off;"` would be a duplicate).
  setsDaemon: boolean;
  // The user (and group) Nginx's workers run as, as the `user` directive names them; null: Nginx's default.
  workerUser: { user: string; group: string | null } | null;
}

interface Directive {
  name: string;
  args: string[];
  // Names of the enclosing blocks with their first argument, e.g. ['http', 'upstream web'].
  context: string[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /#[^\n]*|"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|([{};])|([^\s{};"'#]+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('#')) continue;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return tokens;
}

// The files an `include` names, as Nginx finds them: relative to the prefix, a glob's matches in name order.
export function includedFiles(pattern: string, files: ReadonlyMap<string, string>): string[] {
  const full = path.posix.resolve(NGINX_PREFIX, pattern);
  if (!/[*?[]/.test(full)) return files.has(full) ? [full] : [];
  const regex = new RegExp(`^${full.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return [...files.keys()].filter((f) => regex.test(f)).sort();
}

// The tokens of a file with every `include` replaced by the tokens of what it names (depth-limited against loops).
function expand(file: string, files: ReadonlyMap<string, string>, depth = 0): string[] {
  const tokens = tokenize(files.get(file) ?? '');
  if (depth > 16) return tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const previous = tokens[i - 1];
    const statementStart = i === 0 || previous === ';' || previous === '{' || previous === '}';
    if (statementStart && tokens[i] === 'include' && tokens[i + 2] === ';') {
      for (const included of includedFiles(tokens[i + 1]!, files)) out.push(...expand(included, files, depth + 1));
      i += 2;
    } else {
      out.push(tokens[i]!);
    }
  }
  return out;
}

function directives(tokens: readonly string[]): Directive[] {
  const out: Directive[] = [];
  const context: string[] = [];
  let words: string[] = [];
  for (const token of tokens) {
    if (token === ';') {
      if (words.length) out.push({ name: words[0]!, args: words.slice(1), context: [...context] });
      words = [];
    } else if (token === '{') {
      context.push(words.join(' '));
      words = [];
    } else if (token === '}') {
      context.pop();
      words = [];
    } else {
      words.push(token);
    }
  }
  return out;
}

function portOf(listen: string): number | null {
  const match = /(?:^|:)(\d+)$/.exec(listen.replace(/^\[[^\]]*\]/, ''));
  return match ? Number(match[1]) : null;
}

// `unix:/path` or `host[:port]` as an upstream block's `server` names it.
function serverEndpoint(address: string): Endpoint | null {
  if (address.startsWith('unix:')) return unix(address.slice('unix:'.length));
  const [host, port] = address.split(':');
  return host ? tcp(host, port ? Number(port) : 80) : null;
}

const isFile = (target: string | undefined) =>
  target !== undefined && target !== 'off' && !target.startsWith('/dev/') && !target.startsWith('syslog:') && !target.startsWith('memory:') && !target.includes('$');

// Facts of a config: one file's text (read alone), or the files Nginx read, from the entry file on.
export function readNginxConf(config: string | ReadonlyMap<string, string>, entry = NGINX_CONF): NginxConfFacts {
  const files = typeof config === 'string' ? new Map([[entry, config]]) : config;
  const all = directives(expand(entry, files));
  const listen = all.find((d) => d.name === 'listen' && d.args[0] && portOf(d.args[0]) !== null);
  const blocks = new Map<string, Endpoint[]>();
  for (const d of all) {
    const block = d.context.at(-1) ?? '';
    if (d.name !== 'server' || !block.startsWith('upstream ')) continue;
    const endpoint = serverEndpoint(d.args[0] ?? '');
    if (!endpoint) continue;
    const name = block.slice('upstream '.length).trim();
    blocks.set(name, [...(blocks.get(name) ?? []), endpoint]);
  }
  const upstreams = new Map<string, Endpoint>();
  for (const d of all.filter((x) => x.name === 'proxy_pass')) {
    const target = d.args[0] ?? '';
    // http://unix:/run/app.sock or http://unix:/run/app.sock:/uri
    const socket = /^https?:\/\/unix:([^:]+)/.exec(target);
    const match = /^https?:\/\/([^/:$]+)(?::(\d+))?/.exec(target);
    const found = socket ? [unix(socket[1]!)] : match ? (blocks.get(match[1]!) ?? [tcp(match[1]!, match[2] ? Number(match[2]) : 80)]) : [];
    for (const endpoint of found) upstreams.set(endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : endpoint.path, endpoint);
  }
  const user = all.find((d) => d.name === 'user' && d.context.length === 0);
  return {
    listenPort: listen ? portOf(listen.args[0]!)! : 80,
    upstreams: [...upstreams.values()],
    accessLogFiles: all.filter((d) => d.name === 'access_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    errorLogFiles: all.filter((d) => d.name === 'error_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    setsDaemon: all.some((d) => d.name === 'daemon' && d.context.length === 0),
    workerUser: user?.args[0] ? { user: user.args[0], group: user.args[1] ?? null } : null,
  };
}

// The files of `nginx -T`'s dump, by path: each follows a line `# configuration file PATH:`.
export function parseNginxDump(dump: string): Map<string, string> {
  const files = new Map<string, string>();
  const parts = dump.split(/^# configuration file (.+):$/m);
  for (let i = 1; i < parts.length; i += 2) files.set(parts[i]!, (parts[i + 1] ?? '').replace(/^\n/, ''));
  return files;
}

// Whether a file is a whole nginx.conf (it has the main context's `events` or `http` block) or a site file,
// read in the `http` block of another (only server, upstream, map, ... at its top).
export function isWholeNginxConf(text: string): boolean {
  return topBlockNames(text).some((n) => n === 'events' || n === 'http');
}

function topBlockNames(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let words: string[] = [];
  for (const word of tokenize(text)) {
    if (word === '{') {
      if (depth === 0 && words[0]) names.push(words[0]);
      depth++;
      words = [];
    } else if (word === '}') {
      depth--;
      words = [];
    } else if (word === ';') words = [];
    else words.push(word);
  }
  return names;
}
