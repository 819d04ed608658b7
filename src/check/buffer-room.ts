// The room in the socket buffers between Gunicorn and a client: read off a stack's own network namespaces, or the
// pinned sizes of a stack check starts.
import { PINNED_SOCKET_BUFFERS } from '../topology/sysctls.ts';

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
  const [wmem, rmem] = text
    .trim()
    .split('\n')
    .map((line) => Number(line.trim().split(/\s+/).at(-1)));
  return wmem && rmem ? { sendBytes: wmem, receiveBytes: rmem } : null;
}

// A stack check starts: every container's buffers pinned (a proxy adds its two sockets).
export function pinnedRoom(proxied: boolean): BufferRoom {
  const largest = Number(PINNED_SOCKET_BUFFERS.split(' ').at(-1));
  return { appSendBytes: largest, proxyReceiveBytes: proxied ? largest : null, proxySendBytes: proxied ? largest : null, clientReceiveBytes: largest };
}
