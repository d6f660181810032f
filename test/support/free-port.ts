/** @module freePort: asks the OS for an unused loopback port (for child processes that need a fixed one). */
import { createServer } from 'node:net';

/**
 * @returns a TCP port that was free on 127.0.0.1 a moment ago
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('No port assigned.');
  return address.port;
}
