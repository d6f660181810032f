/**
 * @module The bundled proxy end to end: our WebSocket tunnel → connectLocalProxy → test plugin; the daemon
 * over TCP → connectGuacd → configureSocket → tunnel, as against real guacd; and the daemon CLI process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { configureSocket, connectGuacd, connectLocalProxy } from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  UnsupportedError,
  defaultClientInformation,
} from '../../src/protocol/index.js';
import { ProxyServer } from '../../src/proxy/index.js';
import { startDaemon } from '../../src/proxy/daemon.js';
import { Tunnel } from '../../src/tunnel/index.js';
import { TunnelServer } from '../tunnel/support.js';
import { WsTunnelClient } from '../tunnel/ws-client.js';
import { drawPlugin, within } from './helpers.js';

const DAEMON = new URL('../../src/proxy/daemon.ts', import.meta.url).pathname;

async function drawsOverWebSocket(server: TunnelServer): Promise<void> {
  const { client } = await WsTunnelClient.connect(server.port, 'protocol=draw&hostname=h');
  await within(client.waitFor((message) => message.includes('4.rect,')));
  client.ws.send('3.key,2.65,1.1;');
  await within(client.waitFor((message) => message.includes('3.key,2.65,1.1;')));
  client.ws.close();
  await within(client.closed);
}

describe('bundled proxy end to end', () => {
  it('serves the WebSocket tunnel in-process through connectLocalProxy', async () => {
    const { plugin, record } = drawPlugin();
    const proxy = new ProxyServer({ plugins: [plugin] });
    const server = await TunnelServer.start({
      connect: async (request) => {
        const config = new GuacamoleConfiguration({
          protocol: request.getParameter('protocol') ?? '',
          parameters: new Map([['hostname', request.getParameter('hostname') ?? '']]),
        });
        const socket = connectLocalProxy(proxy);
        return new Tunnel(await configureSocket(socket, config, defaultClientInformation()));
      },
    });
    await drawsOverWebSocket(server);
    assert.equal(record.joined[0]?.parameters.get('hostname'), 'h');
    await server.close();
    await within(proxy.close());
    assert.equal(proxy.userCount, 0);
    assert.equal(record.closed, 1);
  });

  it('serves the tunnel over TCP like guacd (connectGuacd → configureSocket)', async () => {
    const daemon = await startDaemon({
      bindHost: '127.0.0.1',
      bindPort: 0,
      logLevel: 'error',
      certFile: undefined,
      keyFile: undefined,
    });
    const { plugin } = drawPlugin();
    daemon.proxy.register(plugin);
    const server = await TunnelServer.start({ guacd: { host: '127.0.0.1', port: daemon.port } });
    await drawsOverWebSocket(server);
    await server.close();
    await within(daemon.stop());
    assert.equal(daemon.proxy.userCount, 0);
  });
});

describe('daemon CLI', () => {
  it('listens, answers the handshake, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', DAEMON, '-f', '-b', '127.0.0.1', '-l', '0', '-L', 'debug'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    let stderr = '';
    const port = await within(
      new Promise<number>((resolve) => {
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (text: string) => {
          stderr += text;
          const match = /Listening on host 127\.0\.0\.1, port (\d+)/.exec(stderr);
          if (match) resolve(Number(match[1]));
        });
      }),
      20_000,
    );
    const socket = await connectGuacd({ hostname: '127.0.0.1', port });
    // The daemon serves the built-in protocols (vnc); others are refused with UNSUPPORTED.
    const config = new GuacamoleConfiguration({ protocol: 'ssh' });
    await assert.rejects(configureSocket(socket, config, defaultClientInformation()), {
      name: UnsupportedError.name,
      message: 'Protocol "ssh" is not supported.',
    });
    child.kill('SIGTERM');
    const [code] = await within(exited, 20_000);
    assert.equal(code, 0, stderr);
  });

  for (const argv of [['-x'], ['-l', 'abc'], ['-L', 'loud'], ['-C', 'cert.pem'], ['-b']]) {
    it(`rejects ${argv.join(' ')} with usage and exit code 2`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', DAEMON, ...argv], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => (stderr += text));
      const [code] = (await within(once(child, 'exit'), 20_000)) as [number | null];
      assert.equal(code, 2);
      assert.match(stderr, /USAGE: guacd/);
    });
  }
});
