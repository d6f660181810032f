/**
 * @module `api/session/tunnels/{uuid}/streams/{index}/{filename}` (spec §6.7; webapp StreamResource and
 * the stream-intercepting filters) against a FakeGuacd that cuts everything it sends into small pieces:
 * downloads (blobs split across reads, acknowledged by the server, the blob after a `sync` left to the
 * client, `end` forwarded, an aborted download failing guacd's stream), uploads (6048-byte blobs each
 * after guacd's `ack`, no `end`), guacd's error statuses as STREAM_ERROR answers, and the 404s.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { encodeInstruction } from '../../src/protocol/index.js';
import { FakeGuacd, type FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { HttpTunnelClient } from '../tunnel/http-client.js';
import { ReadLoop } from '../tunnel/http-read-loop.js';
import { WsTunnelClient } from '../tunnel/ws-client.js';
import { errorBody, startRest, type RestHarness } from './support.js';

describe('api/session/tunnels/{uuid}/streams', () => {
  let guacd: FakeGuacd;
  let rest: RestHarness;
  let token: string;
  before(async () => {
    guacd = await FakeGuacd.start({ split: { seed: 7, maxPiece: 700 } });
    rest = await startRest({
      properties: `guacd-hostname: 127.0.0.1\nguacd-port: ${guacd.port}\n`,
    });
    token = await rest.login();
  });
  after(async () => {
    await rest.close();
    await guacd.close();
  });

  /** Opens a WebSocket tunnel to alice's `desktop` and returns both ends. */
  const open = async () => {
    const query = `token=${token}&GUAC_DATA_SOURCE=default&GUAC_ID=desktop&GUAC_TYPE=c`;
    const { client, uuid } = await WsTunnelClient.connect(rest.port, query);
    const conn = await guacd.connection(guacd.connections.length - 1);
    return { client, uuid, conn };
  };
  const streamUrl = (uuid: string, index: number | string, name: string, query = '') =>
    `${rest.base}/api/session/tunnels/${uuid}/streams/${index}/${name}?token=${token}${query}`;
  const blob = (index: string, bytes: Buffer) =>
    encodeInstruction('blob', index, bytes.toString('base64'));

  /** Waits for the next `ack` guacd receives and returns its arguments. */
  const ack = async (conn: FakeGuacdConnection) => (await conn.waitFor('ack')).args;

  it('downloads a stream: blobs go to the HTTP response, acknowledged by the server', async () => {
    const { client, uuid, conn } = await open();
    try {
      const parts = [randomBytes(5000), randomBytes(7001), randomBytes(1)];
      await conn.sendInstruction('file', '5', 'application/octet-stream', 'report.bin');
      await client.waitFor((m) => m.includes('4.file,1.5,'));
      const download = fetch(streamUrl(uuid, 5, 'report.bin'));
      assert.deepEqual(await ack(conn), ['5', 'OK', '0'], 'ready to receive');
      await conn.send(blob('5', parts[0] as Buffer));
      assert.deepEqual(await ack(conn), ['5', 'OK', '0']);
      // After a sync the next blob is the client's to acknowledge: it gets an empty one.
      await conn.send(encodeInstruction('sync', '1234') + blob('5', parts[1] as Buffer));
      await client.waitFor((m) => m.includes('4.blob,1.5,0.;'));
      await client.send(encodeInstruction('ack', '5', 'OK', '0'));
      assert.deepEqual(await ack(conn), ['5', 'OK', '0'], "the client's own ack");
      await conn.send(blob('5', parts[2] as Buffer) + encodeInstruction('end', '5'));
      const response = await download;
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/octet-stream');
      assert.equal(response.headers.get('content-disposition'), 'attachment');
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.concat(parts));
      await client.waitFor((m) => m.includes('3.end,1.5;'));
      const seen = client.messages.join('');
      assert.ok(!seen.includes((parts[0] as Buffer).toString('base64').slice(0, 40)));
      assert.ok(!seen.includes((parts[1] as Buffer).toString('base64').slice(0, 40)));
    } finally {
      await client.close();
    }
  });

  it('sends the requested type without Content-Disposition; other streams pass through', async () => {
    const { client, uuid, conn } = await open();
    try {
      const download = fetch(streamUrl(uuid, 2, 'a.txt', '&type=text%2Fplain'));
      assert.deepEqual(await ack(conn), ['2', 'OK', '0']);
      await conn.send(blob('3', Buffer.from('other')) + blob('2', Buffer.from('mine')));
      await conn.send(encodeInstruction('end', '2'));
      const response = await download;
      assert.equal(response.headers.get('content-type'), 'text/plain');
      assert.equal(response.headers.get('content-disposition'), null);
      assert.equal(await response.text(), 'mine');
      await client.waitFor((m) => m.includes(blob('3', Buffer.from('other'))));
    } finally {
      await client.close();
    }
  });

  it('fails guacd\'s stream with "ack FAIL 512" when the download is aborted', async () => {
    const { client, uuid, conn } = await open();
    try {
      const aborter = new AbortController();
      const download = fetch(streamUrl(uuid, 4, 'big.bin'), { signal: aborter.signal });
      assert.deepEqual(await ack(conn), ['4', 'OK', '0']);
      aborter.abort();
      await assert.rejects(download);
      assert.deepEqual(await ack(conn), ['4', 'FAIL', '512']);
    } finally {
      await client.close();
    }
  });

  it('cuts a download short when the tunnel closes before the stream ends', async () => {
    const { client, uuid, conn } = await open();
    const download = fetch(streamUrl(uuid, 6, 'cut.bin'));
    assert.deepEqual(await ack(conn), ['6', 'OK', '0']);
    await conn.send(blob('6', Buffer.from('partial')));
    const response = await download;
    assert.equal(response.status, 200);
    await ack(conn);
    await client.close();
    await assert.rejects(response.arrayBuffer());
  });

  it('uploads the body as 6048-byte blobs, each after guacd acknowledged the last', async () => {
    const { client, uuid, conn } = await open();
    try {
      const data = randomBytes(6048 * 2 + 17);
      const upload = fetch(streamUrl(uuid, 3, 'up.bin'), { method: 'POST', body: data });
      const received: Buffer[] = [];
      for (let i = 0; i < 3; i++) {
        const { args } = await conn.waitFor('blob');
        assert.equal(args[0], '3');
        received.push(Buffer.from(args[1] ?? '', 'base64'));
        assert.equal(
          conn.received.filter((x) => x.opcode === 'blob').length,
          i + 1,
          'one at a time',
        );
        await conn.sendInstruction('ack', '3', 'OK', '0');
      }
      const response = await upload;
      assert.equal(response.status, 204);
      assert.deepEqual(
        received.map((b) => b.length),
        [6048, 6048, 17],
      );
      assert.deepEqual(Buffer.concat(received), data);
      // The client ends the stream itself (the frontend uploads in chunks, one POST each).
      assert.ok(!conn.received.some((x) => x.opcode === 'end'));
    } finally {
      await client.close();
    }
  });

  it("answers guacd's refusal as STREAM_ERROR with its status code and HTTP status", async () => {
    const { client, uuid, conn } = await open();
    try {
      const upload = fetch(streamUrl(uuid, 9, 'x.bin'), { method: 'POST', body: 'data' });
      await conn.waitFor('blob');
      await conn.sendInstruction('ack', '9', 'Invalid stream index', '768');
      const refused = await upload;
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), {
        ...(errorBody('Invalid stream index', 'STREAM_ERROR') as object),
        statusCode: 768,
      });

      const denied = fetch(streamUrl(uuid, 8, 'x.bin'), { method: 'POST', body: 'data' });
      await conn.waitFor('blob');
      await conn.sendInstruction('ack', '8', 'Upload denied', '771');
      const forbidden = await denied;
      assert.equal(forbidden.status, 403);
      const body = (await forbidden.json()) as { type: string; statusCode: number };
      assert.deepEqual([body.type, body.statusCode], ['STREAM_ERROR', 771]);
      // Not a credentials failure: the session survives.
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);

      const odd = fetch(streamUrl(uuid, 7, 'x.bin'), { method: 'POST', body: 'data' });
      await conn.waitFor('blob');
      await conn.sendInstruction('ack', '7', 'Strange', 'banana');
      const strange = await odd;
      assert.equal(strange.status, 500);
      assert.equal(((await strange.json()) as { statusCode: number }).statusCode, 512);
    } finally {
      await client.close();
    }
  });

  it('answers 404 for an unknown tunnel or a non-integer index, 400 for a bad type', async () => {
    const { client, uuid } = await open();
    try {
      const unknown = await fetch(streamUrl('00000000-0000-0000-0000-000000000000', 1, 'f'));
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), errorBody('No such tunnel.', 'NOT_FOUND'));
      const word = await fetch(streamUrl(uuid, 'one', 'f'));
      assert.deepEqual([word.status, await word.text()], [404, '']);
      const huge = await fetch(streamUrl(uuid, '99999999999', 'f'));
      assert.equal(huge.status, 404);
      await huge.body?.cancel();
      const type = await fetch(streamUrl(uuid, 1, 'f', '&type=not%20a%20type'));
      assert.equal(type.status, 400);
      assert.equal(((await type.json()) as { type: string }).type, 'BAD_REQUEST');
      const put = await fetch(streamUrl(uuid, 1, 'f'), { method: 'PUT' });
      assert.equal(put.status, 405);
      await put.body?.cancel();
    } finally {
      await client.close();
    }
  });

  it('answers 404 once the tunnel has closed and left the session', async () => {
    const { client, uuid } = await open();
    await client.close();
    // The server learns of the close asynchronously; each listing is a fresh look.
    for (;;) {
      const list = await rest.request('GET', '/api/session/tunnels', { token });
      if (!(list.json() as string[]).includes(uuid)) break;
    }
    const gone = await fetch(streamUrl(uuid, 1, 'f'));
    assert.deepEqual(
      [gone.status, await gone.json()],
      [404, errorBody('No such tunnel.', 'NOT_FOUND')],
    );
  });

  it('intercepts the streams of an HTTP tunnel as well', async () => {
    const body = `token=${token}&GUAC_DATA_SOURCE=default&GUAC_ID=desktop&GUAC_TYPE=c`;
    const client = await HttpTunnelClient.connect(rest.port, body);
    const conn = await guacd.connection(guacd.connections.length - 1);
    let text = '';
    const waiters: (() => void)[] = [];
    const reads = new ReadLoop(client, (chunk) => {
      text += chunk;
      for (const wake of waiters.splice(0)) wake();
    });
    const seen = async (needle: string) => {
      while (!text.includes(needle)) await new Promise<void>((wake) => waiters.push(wake));
    };
    try {
      const data = randomBytes(9000);
      const download = fetch(streamUrl(client.uuid, 1, 'h.bin'));
      assert.deepEqual(await ack(conn), ['1', 'OK', '0']);
      await conn.send(blob('1', data.subarray(0, 4000)));
      assert.deepEqual(await ack(conn), ['1', 'OK', '0']);
      await conn.send(blob('1', data.subarray(4000)) + encodeInstruction('end', '1'));
      const response = await download;
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), data);

      const upload = fetch(streamUrl(client.uuid, 2, 'u.bin'), { method: 'POST', body: 'hi' });
      assert.deepEqual((await conn.waitFor('blob')).args, [
        '2',
        Buffer.from('hi').toString('base64'),
      ]);
      await conn.sendInstruction('ack', '2', 'OK', '0');
      assert.equal((await upload).status, 204);
      await conn.sendInstruction('sync', '99');
      await seen('4.sync,2.99;');
      assert.ok(text.includes('3.end,1.1;'));
      assert.ok(!text.includes(data.subarray(0, 4000).toString('base64').slice(0, 40)));
    } finally {
      reads.abort();
      await reads.done;
    }
  });
});
