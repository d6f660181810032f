/**
 * @module bench/proxy/relay: a byte-counting TCP relay between the proxy and x11vnc, so that the
 * benchmark knows how many RFB bytes per second the VNC server sent (the same-run baseline).
 */
import net from 'node:net';

/** A running relay. */
export interface Relay {
  /** The relay's port on 127.0.0.1. */
  readonly port: number;
  /** Bytes the VNC server has sent through the relay so far. */
  serverBytes(): number;
  /** Stops listening and closes every relayed connection. */
  close(): Promise<void>;
}

/**
 * Starts a relay to a TCP port on 127.0.0.1.
 * @param targetPort the VNC server's port
 * @returns the relay once it listens
 */
export async function startRelay(targetPort: number): Promise<Relay> {
  let bytes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const socket of [inbound, outbound]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        inbound.destroy();
        outbound.destroy();
      });
    }
    outbound.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    serverBytes: () => bytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
