// Reads what `check` needs from a user's nginx.conf without changing it: listen port, upstream, log files.
// A tokenizer, not a full parser: enough for the directives below, with quotes, comments and blocks.

export interface NginxConfFacts {
  // The first `listen` port (80 where none is given).
  listenPort: number;
  // Every host:port a `proxy_pass` reaches, directly or through an `upstream` block.
  upstreams: Array<{ host: string; port: number }>;
  // Where access and error lines go: files to read after the run (not /dev/stdout, stderr, syslog or off).
  accessLogFiles: string[];
  errorLogFiles: string[];
  // Whether the file sets `daemon` itself (then `-g "daemon off;"` would be a duplicate).
  setsDaemon: boolean;
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

function directives(text: string): Directive[] {
  const out: Directive[] = [];
  const context: string[] = [];
  let words: string[] = [];
  for (const token of tokenize(text)) {
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

const isFile = (target: string | undefined) =>
  target !== undefined && target !== 'off' && !target.startsWith('/dev/') && !target.startsWith('syslog:') && !target.startsWith('memory:') && !target.includes('$');

export function readNginxConf(text: string): NginxConfFacts {
  const all = directives(text);
  const listen = all.find((d) => d.name === 'listen' && d.args[0] && portOf(d.args[0]) !== null);
  const blocks = new Map<string, Array<{ host: string; port: number }>>();
  for (const d of all) {
    const block = d.context.at(-1) ?? '';
    if (d.name !== 'server' || !block.startsWith('upstream ')) continue;
    const [host, port] = (d.args[0] ?? '').split(':');
    if (!host || host.startsWith('unix')) continue;
    const name = block.slice('upstream '.length).trim();
    blocks.set(name, [...(blocks.get(name) ?? []), { host, port: port ? Number(port) : 80 }]);
  }
  const upstreams = new Map<string, { host: string; port: number }>();
  for (const d of all.filter((x) => x.name === 'proxy_pass')) {
    const match = /^https?:\/\/([^/:$]+)(?::(\d+))?/.exec(d.args[0] ?? '');
    if (!match) continue;
    const [, host = '', port] = match;
    for (const server of blocks.get(host) ?? [{ host, port: port ? Number(port) : 80 }]) upstreams.set(`${server.host}:${server.port}`, server);
  }
  return {
    listenPort: listen ? portOf(listen.args[0]!)! : 80,
    upstreams: [...upstreams.values()],
    accessLogFiles: all.filter((d) => d.name === 'access_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    errorLogFiles: all.filter((d) => d.name === 'error_log' && isFile(d.args[0])).map((d) => d.args[0]!),
    setsDaemon: all.some((d) => d.name === 'daemon' && d.context.length === 0),
  };
}
