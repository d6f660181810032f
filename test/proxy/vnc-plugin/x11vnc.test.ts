/**
 * @module Real peer end to end: Xvfb + x11vnc ← the `vnc` plugin in the in-process proxy ←
 * connectLocalProxy + configureSocket ← our WebSocket tunnel ← a WebSocket client. The first frame must
 * show the xsetroot colour. With CI=true a missing peer fails the test; otherwise it is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureSocket, connectLocalProxy } from '../../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  UPSTREAM_LIMITS,
  defaultClientInformation,
  parseInstructions,
} from '../../../src/protocol/index.js';
import { ProxyServer } from '../../../src/proxy/index.js';
import { vncPlugin } from '../../../src/proxy/vnc-plugin/index.js';
import { Tunnel } from '../../../src/tunnel/index.js';
import { TunnelServer } from '../../tunnel/support.js';
import { WsTunnelClient } from '../../tunnel/ws-client.js';
import { within } from '../helpers.js';
import { missingPeers, startX11Vnc, type X11Vnc } from '../../support/x11vnc.js';
import { ScreenModel } from './support.js';

const missing = missingPeers();
const skip =
  missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

describe('vnc plugin against Xvfb + x11vnc through the WebSocket tunnel', { skip }, () => {
  let peers: X11Vnc | undefined;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    peers = await startX11Vnc(320, 240, '#123456');
  });

  after(async () => {
    await peers?.stop();
  });

  it('shows the xsetroot colour in the first frame', { timeout: 30_000 }, async () => {
    const proxy = new ProxyServer({ plugins: [vncPlugin] });
    const server = await TunnelServer.start({
      connect: async (request) => {
        const config = new GuacamoleConfiguration({
          protocol: request.getParameter('protocol') ?? '',
          parameters: new Map([
            ['hostname', '127.0.0.1'],
            ['port', request.getParameter('port') ?? ''],
          ]),
        });
        const info = { ...defaultClientInformation(), imageMimetypes: ['image/png'] };
        const socket = connectLocalProxy(proxy);
        return new Tunnel(await configureSocket(socket, config, info));
      },
    });
    try {
      const query = `protocol=vnc&port=${String(peers?.port)}`;
      const { client } = await within(WsTunnelClient.connect(server.port, query));
      const screen = new ScreenModel();
      const firstFrame = async () => {
        for (;;) {
          const instructions = parseInstructions(await client.next(), UPSTREAM_LIMITS);
          for (const instruction of instructions) {
            if (instruction.opcode === 'error') throw new Error(instruction.args.join(' '));
            await screen.apply(instruction);
            if (instruction.opcode === 'sync' && screen.width > 0) return;
          }
        }
      };
      for (let shown = false; !shown;) {
        await within(firstFrame(), 15_000);
        shown = screen.pixel(160, 120) === 0x123456;
      }
      assert.deepEqual([screen.width, screen.height], [320, 240]);
      assert.equal(screen.pixel(0, 0), 0x123456);
      client.ws.close();
      await within(client.closed);
    } finally {
      await server.close();
      await within(proxy.close());
    }
  });
});
