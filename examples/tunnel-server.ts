import express from 'express';
import { createServer } from 'node:http';
import * as guac from '../src/index.js'; // in your project: from 'guacamole-gateway'

// Your doConnect(): decide what this request may open, then hand back a Tunnel.
async function connect(request: guac.TunnelRequest): Promise<guac.Tunnel> {
  if (request.getParameter('secret') !== process.env.SECRET) {
    throw new guac.UnauthorizedError('Permission denied.'); // the client sees status 769
  }
  const config = new guac.GuacamoleConfiguration({ protocol: 'vnc' });
  config.setParameter('hostname', process.env.VNC_HOST ?? 'localhost');
  config.setParameter('port', process.env.VNC_PORT ?? '5900');
  const info = { ...guac.defaultClientInformation(), name: 'example' };
  const guacd = await guac.connectGuacd({
    hostname: 'localhost',
    port: Number(process.env.GUACD_PORT ?? 4822),
  });
  return new guac.Tunnel(await guac.configureSocket(guacd, config, info));
}

const app = express();
app.use('/tunnel', guac.createHttpTunnelHandler({ connect }));
const websocket = guac.createWebSocketTunnel({ connect });
const server = createServer(app);
server.on('upgrade', (req, socket, head) => {
  if (req.url?.startsWith('/websocket-tunnel')) websocket.handleUpgrade(req, socket, head);
  else socket.destroy();
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log('Tunnels listening.');
});
