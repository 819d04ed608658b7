// The room in the socket buffers between Gunicorn and a client, read off a stack's own network namespaces.

// What the socket buffers between Gunicorn and the client can hold, each side's largest (autotuned) size: a body
// that fits is handed over whole and never holds a worker, whatever the client's pace.
export interface BufferRoom {
  appSendBytes: number | null;
  proxyReceiveBytes: number | null;
  proxySendBytes: number | null;
  clientReceiveBytes: number;
}

export function bufferRoomBytes(room: BufferRoom): number {
  return (room.appSendBytes ?? 0) + (room.proxyReceiveBytes ?? 0) + (room.proxySendBytes ?? 0) + room.clientReceiveBytes;
}

// `net.ipv4.tcp_wmem` then `tcp_rmem` (min default max each): their largest sizes.
export function parseBufferSysctls(text: string): { sendBytes: number; receiveBytes: number } | null {
  const [wmem, rmem] = text.trim().split('\n').map((line) => Number(line.trim().split(/\s+/).at(-1)));
  return wmem && rmem ? { sendBytes: wmem, receiveBytes: rmem } : null;
}

