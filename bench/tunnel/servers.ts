/**
 * @module bench/tunnel/servers: the four servers under test, each on 127.0.0.1 in front of the fake guacd:
 * a bare TCP→WebSocket pipe (no parsing; the limit), our WebSocket tunnel, our HTTP tunnel, and
 * guacamole-lite 1.2 (npm, configured as its README documents: an AES-256-CBC token and a guacd address).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { WebSocketServer } from 'ws';
import { configureSocket, connectGuacd } from '../../src/guacd/index.js';
import { GuacamoleConfiguration, defaultClientInformation } from '../../src/protocol/index.js';
import {
  SUBPROTOCOL,
  Tunnel,
  createHttpTunnelHandler,
  createWebSocketTunnel,
  type ConnectTunnel,
} from '../../src/tunnel/index.js';

/** The contenders. */
export type ServerKind = 'bare' | 'ws' | 'http' | 'lite';

/** A running server. */
export interface BenchServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The 32-byte key guacamole-lite decrypts tokens with (AES-256-CBC). */
const LITE_KEY = 'bench-tunnel-key-32-bytes-long!!';
/** Queued bytes on a WebSocket before the bare pipe pauses its TCP side (as our tunnel's default). */
const HIGH_WATER_MARK = 1 << 20;

/** The handshake the bare pipe sends blindly: it never parses what guacd says. */
const CANNED_HANDSHAKE =
  '6.select,3.rdp;4.size,4.1920,4.1080,2.96;5.audio;5.video;5.image,9.image/png,10.image/jpeg;' +
  '7.connect,13.VERSION_1_5_0,7.desktop,4.3389;';

/**
 * Builds a guacamole-lite connection token per its README: base64 of JSON `{iv, value}`, `value` being the
 * base64 AES-256-CBC encryption of the JSON connection settings.
 * @param hostname the RDP host it names (the fake guacd floods ASCII-only data for `…-ascii`)
 * @returns the token (URL-encode it for the query string)
 */
export function liteToken(hostname = 'desktop'): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(LITE_KEY), iv);
  const settings = { connection: { type: 'rdp', settings: { hostname, port: '3389' } } };
  const value = cipher.update(JSON.stringify(settings), 'utf8', 'base64') + cipher.final('base64');
  return Buffer.from(JSON.stringify({ iv: iv.toString('base64'), value })).toString('base64');
}

/** Our connect callback: connectGuacd + configureSocket + new Tunnel, as an application would write it. */
function ourConnect(guacdPort: number): ConnectTunnel {
  const info = {
    ...defaultClientInformation(),
    width: 1920,
    height: 1080,
    imageMimetypes: ['image/png', 'image/jpeg'],
  };
  const config = new GuacamoleConfiguration({
    protocol: 'rdp',
    parameters: { hostname: 'desktop', port: '3389' },
  });
  return async () => {
    const socket = await connectGuacd({ hostname: '127.0.0.1', port: guacdPort });
    return new Tunnel(await configureSocket(socket, config, info));
  };
}

function barePipe(server: http.Server, guacdPort: number): () => void {
  const wss = new WebSocketServer({
    server,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on('connection', (ws) => {
    const tcp = net.connect(guacdPort, '127.0.0.1');
    tcp.setNoDelay(true);
    tcp.write(CANNED_HANDSHAKE);
    tcp.on('error', () => undefined);
    tcp.on('data', (chunk: Buffer) => {
      if (ws.bufferedAmount < HIGH_WATER_MARK) {
        ws.send(chunk, { binary: false });
        return;
      }
      tcp.pause();
      ws.send(chunk, { binary: false }, () => tcp.resume());
    });
    tcp.on('close', () => {
      ws.close(1000, '0');
    });
    ws.on('message', (data: Buffer) => tcp.write(data));
    ws.on('close', () => tcp.destroy());
  });
  return () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** The slice of guacamole-lite's Server this benchmark uses. */
type LiteServer = new (
  wsOptions: { server: http.Server },
  guacdOptions: { host: string; port: number },
  clientOptions: { crypt: { cypher: string; key: string }; log: { level: number } },
) => { close(): void };

function guacamoleLite(server: http.Server, guacdPort: number): () => void {
  const require = createRequire(import.meta.url);
  const GuacamoleLite = require('guacamole-lite') as LiteServer;
  const lite = new GuacamoleLite(
    { server },
    { host: '127.0.0.1', port: guacdPort },
    // Defaults otherwise (inactivity checks included). The level is QUIET's number: 1.2 ignores the name
    // 'QUIET' (its value is 0, falsy) and would log every connection's close to stderr.
    { crypt: { cypher: 'AES-256-CBC', key: LITE_KEY }, log: { level: 0 } },
  );
  return () => {
    lite.close();
  };
}

/**
 * Starts one server on 127.0.0.1 on a free port.
 * @param kind which one
 * @param guacdPort where the fake guacd listens
 * @returns the running server
 */
export async function startServer(kind: ServerKind, guacdPort: number): Promise<BenchServer> {
  const server = http.createServer();
  let stop: () => void = () => undefined;
  switch (kind) {
    case 'bare':
      stop = barePipe(server, guacdPort);
      break;
    case 'ws': {
      const tunnel = createWebSocketTunnel({ connect: ourConnect(guacdPort), allowedOrigins: '*' });
      server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        tunnel.handleUpgrade(req, socket, head);
      });
      stop = () => {
        tunnel.close();
      };
      break;
    }
    case 'http': {
      const handler = createHttpTunnelHandler({
        connect: ourConnect(guacdPort),
        allowedOrigins: '*',
      });
      server.on('request', handler);
      stop = () => {
        handler.registry.shutdown();
      };
      break;
    }
    case 'lite':
      stop = guacamoleLite(server, guacdPort);
      break;
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      stop();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
