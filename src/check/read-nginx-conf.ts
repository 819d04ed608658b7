// Reads what `check` needs from a user's Nginx config without changing it: listen port, upstreams, log files.
// It follows `include`s through the files Nginx itself read (`nginx -T`), globs and relative paths as Nginx
// resolves them. A tokenizer, not a full parser: enough for the directives below, with quotes, comments and blocks.
import path from 'node:path';
import { tcp, unix, type Endpoint } from '../topology/endpoint.ts';

export const NGINX_PREFIX = '/etc/nginx';
export const NGINX_CONF = `${NGINX_PREFIX}/nginx.conf`;

export interface NginxConfFacts {
  // The entrance: the port of the first server block that proxies (one that only redirects, as certbot leaves port 80,
  // is passed over), else the first `listen` port (80 where none is given).
  listenPort: number;
  // That port speaks TLS (`listen ... ssl`), and the server's first plain name (the SNI a client sends), else null.
  tls: boolean;
  serverName: string | null;
  // Every endpoint a `proxy_pass` or `uwsgi_pass` reaches, directly or through an `upstream` block: host:port or a
  // Unix socket.
  upstreams: Endpoint[];
  // Nginx speaks uWSGI's protocol to the app (`uwsgi_pass`): the app is uWSGI, not Gunicorn.
  uwsgi: boolean;
  // Where access and error lines go: files to read after the run (not /dev/stdout, stderr, syslog or off).
  accessLogFiles: string[];
  errorLogFiles: string[];
  // Whether the config sets `daemon` itself (then `-g "daemon off;"` would be a duplicate).
  setsDaemon: boolean;
  // The user (and group) Nginx's workers run as, as the `user` directive names them; null: Nginx's default.
  workerUser: { user: string; group: string | null } | null;
}

export interface Directive {
  name: string;
  args: string[];
  // Names of the enclosing blocks with their first argument, e.g. ['http', 'upstream web'].
  context: string[];
  // The innermost enclosing `server` block, numbered in the order they open; null outside any.
  server: number | null;
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
  const regex = new RegExp(
    `^${full
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
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
  const servers: Array<number | null> = [];
  let serverCount = 0;
  let words: string[] = [];
  for (const token of tokens) {
    if (token === ';') {
      if (words.length) out.push({ name: words[0]!, args: words.slice(1), context: [...context], server: servers.at(-1) ?? null });
      words = [];
    } else if (token === '{') {
      context.push(words.join(' '));
      servers.push(words[0] === 'server' && words.length === 1 ? serverCount++ : (servers.at(-1) ?? null));
      words = [];
    } else if (token === '}') {
      context.pop();
      servers.pop();
      words = [];
    } else {
      words.push(token);
    }
  }
  return out;
}

// The directives of one file as written (its includes not followed): what it names, for stand-ins of missing files.
export function fileDirectives(text: string): Directive[] {
  return directives(tokenize(text));
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
  target !== undefined &&
  target !== 'off' &&
  !target.startsWith('/dev/') &&
  !target.startsWith('syslog:') &&
  !target.startsWith('memory:') &&
  !target.includes('$');

// Facts of a config: one file's text (read alone), or the files Nginx read, from the entry file on.
export function readNginxConf(config: string | ReadonlyMap<string, string>, entry = NGINX_CONF): NginxConfFacts {
  const files = typeof config === 'string' ? new Map([[entry, config]]) : config;
  const all = directives(expand(entry, files));
  const entrance = chooseEntrance(all);
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
  // uwsgi_pass names its target without a scheme (or with uwsgi://): host:port, an upstream block, or unix:/path.
  for (const d of all.filter((x) => x.name === 'uwsgi_pass')) {
    const target = (d.args[0] ?? '').replace(/^uwsgi:\/\//, '');
    const socket = /^unix:(.+)$/.exec(target);
    const match = /^([^/:$]+)(?::(\d+))?$/.exec(target);
    const found = socket ? [unix(socket[1]!)] : match ? (blocks.get(match[1]!) ?? (match[2] ? [tcp(match[1]!, Number(match[2]))] : [])) : [];
    for (const endpoint of found) upstreams.set(endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : endpoint.path, endpoint);
  }
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
    ...entrance,
    upstreams: [...upstreams.values()],
    uwsgi: all.some((d) => d.name === 'uwsgi_pass'),
    accessLogFiles: all.filter((d) => d.name === 'access_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    errorLogFiles: all.filter((d) => d.name === 'error_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    setsDaemon: all.some((d) => d.name === 'daemon' && d.context.length === 0),
    workerUser: user?.args[0] ? { user: user.args[0], group: user.args[1] ?? null } : null,
  };
}

// The server a client goes to: the first that proxies (`proxy_pass` in it, includes followed), else the first that
// listens; its first port, whether that port speaks TLS, and its first plain name.
function chooseEntrance(all: readonly Directive[]): Pick<NginxConfFacts, 'listenPort' | 'tls' | 'serverName'> {
  const listens = all.filter((d) => d.name === 'listen' && d.args[0] && portOf(d.args[0]) !== null);
  const proxying = new Set(all.filter((d) => (d.name === 'proxy_pass' || d.name === 'uwsgi_pass') && d.server !== null).map((d) => d.server));
  const listen = listens.find((d) => proxying.has(d.server)) ?? listens[0];
  if (!listen) return { listenPort: 80, tls: false, serverName: null };
  const inServer = (name: string) => all.filter((d) => d.name === name && d.server === listen.server);
  // `ssl` on the listen, or the old `ssl on;` in its server.
  const tls = listen.args.includes('ssl') || inServer('ssl').some((d) => d.args[0] === 'on');
  const serverName =
    inServer('server_name')
      .flatMap((d) => d.args)
      .find((n) => /^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(n) && n.includes('.')) ?? null;
  return { listenPort: portOf(listen.args[0]!)!, tls, serverName };
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
