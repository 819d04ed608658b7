// One frame of Docker's multiplexed log stream: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, 4 bytes size.
export function dockerFrame(kind: number, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
