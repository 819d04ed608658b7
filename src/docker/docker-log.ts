// Splits Docker's log output: the multiplexed frames into stdout and stderr, and each line from its timestamp.

export interface LogStreams {
  stdout: string;
  stderr: string;
}

export interface TimedLine {
  epochMs: number;
  text: string;
}

// Docker frames a non-TTY container's output: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, 4 bytes size.
export function demuxDockerLog(buffer: Buffer): LogStreams {
  const streams = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const body = buffer.subarray(offset + 8, offset + 8 + size);
    (kind === 2 ? streams.stderr : streams.stdout).push(body);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(streams.stdout).toString('utf8'), stderr: Buffer.concat(streams.stderr).toString('utf8') };
}

// Reads lines written with `timestamps: true` ("2026-11-27T04:50:33.579034581Z text"); untimed lines keep the last time.
// Podman's compatible API stamps whole seconds ("2026-11-27T04:50:33Z"): such a line is taken at the end of its
// second, never before it was written (a line of the request would else seem to come before the request).
export function splitTimestamps(text: string): TimedLine[] {
  const out: TimedLine[] = [];
  let last = Number.NaN;
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z (.*)$/s.exec(raw);
    if (match) {
      const fraction = (match[2] ?? '.999').slice(0, 4).padEnd(4, '0');
      last = Date.parse(`${match[1]}${fraction}Z`);
      out.push({ epochMs: last, text: match[3] ?? '' });
    } else {
      out.push({ epochMs: last, text: raw });
    }
  }
  return out;
}
