// Where a server listens or a proxy sends: a host and port on the run's network, or a Unix socket's path.
export interface HostPort {
  host: string;
  port: number;
}

// Where the client connects: a host and port, speaking TLS where the entrance does (a certbot site's 443), with the
// name it sends as SNI (null: none).
export interface ClientTarget extends HostPort {
  tls?: { serverName: string | null } | null;
}

export type Endpoint = ({ kind: 'tcp' } & HostPort) | { kind: 'unix'; path: string };

export const tcp = (host: string, port: number): Endpoint => ({ kind: 'tcp', host, port });
export const unix = (path: string): Endpoint => ({ kind: 'unix', path });

// As Nginx and Gunicorn write it: `web:5000`, `unix:/run/app/gunicorn.sock`.
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'tcp' ? `${endpoint.host}:${endpoint.port}` : `unix:${endpoint.path}`;
}

// A Gunicorn bind as it writes it (`0.0.0.0:8000`, `unix:/run/x.sock`, `[::]:80`, `:8000`); null for an fd:// bind.
export function parseBind(text: string): Endpoint | null {
  if (text.startsWith('unix:')) return unix(text.slice('unix:'.length));
  if (text.startsWith('fd://')) return null;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(text);
  if (!match) return null;
  return tcp(match[1] || '0.0.0.0', match[2] ? Number(match[2]) : 8000);
}
