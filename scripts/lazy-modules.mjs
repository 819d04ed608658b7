// Defers loading the parts of dockerode and testcontainers that a CLI run over a local socket never calls, until
// (if ever) something uses them: ssh2 (Docker over ssh://), gRPC and protobuf (BuildKit sessions), undici, archiver
// and yaml (testcontainers' HTTP waits, copies into containers and Compose). They are 3.5 MiB of JavaScript that Node
// would otherwise compile at every start, about 0.2 s of a run's 0.6 s before its first container.
// A deferred module is a stand-in that loads the real one on its first use (a property read, a call, `new`), so
// every use still gets the real module, only later. Plain JavaScript: loaded by scripts/lab.mjs before the CLI.
import Module from 'node:module';
import path from 'node:path';

// What a require asks for, then the resolved file it must be: a package's entry, or one file of a package that
// pulls a heavy one in at its top (docker-modem's ssh.js reads ssh2's Client as it loads).
const REQUESTS = new Set(['ssh2', './ssh', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'undici', 'archiver', 'yaml']);
const DEFERRED = [
  `${path.sep}node_modules${path.sep}ssh2${path.sep}`,
  `${path.sep}node_modules${path.sep}docker-modem${path.sep}lib${path.sep}ssh.js`,
  `${path.sep}node_modules${path.sep}@grpc${path.sep}`,
  `${path.sep}node_modules${path.sep}protobufjs${path.sep}`,
  `${path.sep}node_modules${path.sep}undici${path.sep}`,
  `${path.sep}node_modules${path.sep}archiver${path.sep}`,
  `${path.sep}node_modules${path.sep}yaml${path.sep}`,
];

export function isDeferred(file) {
  return DEFERRED.some((part) => file.includes(part));
}

// A stand-in for a module: a function (so it can be called and constructed) whose every trap loads the real one.
// Descriptors are reported configurable, as a proxy may not report a non-configurable property its target lacks.
export function deferred(load) {
  let real;
  const get = () => (real ??= load());
  const target = function deferredModule() {};
  return new Proxy(target, {
    get: (_, key) => (key === '__esModule' && real === undefined ? undefined : Reflect.get(get(), key)),
    set: (_, key, value) => Reflect.set(get(), key, value),
    has: (_, key) => key in get() || Object.getOwnPropertyDescriptor(target, key)?.configurable === false,
    apply: (_, self, args) => Reflect.apply(get(), self, args),
    construct: (_, args, newTarget) => Reflect.construct(get(), args, newTarget === target ? get() : newTarget),
    ownKeys: () => [
      ...new Set([...Reflect.ownKeys(get()), ...Reflect.ownKeys(target).filter((k) => !Object.getOwnPropertyDescriptor(target, k).configurable)]),
    ],
    getOwnPropertyDescriptor: (_, key) => {
      const own = Object.getOwnPropertyDescriptor(target, key);
      if (own && !own.configurable) return own;
      const found = Reflect.getOwnPropertyDescriptor(get(), key);
      return found && { ...found, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  });
}

// Installs the hook for CommonJS requires (dockerode and testcontainers are CommonJS); GUNICORN_LAB_EAGER=1 leaves
// it out, to compare.
export function deferHeavyModules() {
  if (process.env.GUNICORN_LAB_EAGER === '1') return;
  const load = Module._load;
  Module._load = function lazyLoad(request, parent, isMain) {
    if (parent && REQUESTS.has(request)) {
      let file;
      try {
        file = Module._resolveFilename(request, parent, isMain);
      } catch {
        return load.call(this, request, parent, isMain);
      }
      if (isDeferred(file) && !(parent.filename && isDeferred(parent.filename)) && !Module._cache[file]) {
        return deferred(() => load.call(this, request, parent, isMain));
      }
    }
    return load.call(this, request, parent, isMain);
  };
}
