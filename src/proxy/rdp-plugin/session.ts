/**
 * @module RdpSession: one running RDP connection as a protocol session. Decoded bitmaps are drawn into a
 * Surface that a Display sends to every joined user, pointer updates become the cursor, and users' keys
 * and pointer go back to the server unless the connection or the user is read-only. With
 * `resize-method=reconnect` the owner's `size` reconnects at the new size (one reconnect at a time).
 */
import { GuacamoleError, UpstreamError, type Instruction } from '../../protocol/index.js';
import { Display, type DisplayUser } from '../display/display.js';
import { Surface } from '../display/surface.js';
import type { ConnectionContext, InboundStream, ProtocolSession, ProxyUser } from '../plugin.js';
import type { RdpClient, RdpSettings } from '../rdp/index.js';
import { acceptClipboard, clipboardInstructions } from '../vnc-plugin/clipboard.js';
import { sendText } from '../vnc-plugin/session.js';
import { openRdp } from './connect.js';

/** The display side of one user. */
interface Viewer extends DisplayUser {
  readonly user: ProxyUser;
}

/** A connected RDP session: the client, its Surface and Display, and the joined users. */
export class RdpSession implements ProtocolSession {
  readonly #context: ConnectionContext;
  readonly #settings: RdpSettings;
  readonly #viewers = new Map<ProxyUser, Viewer>();
  readonly #surface: Surface;
  readonly #display: Display;
  #client: RdpClient;
  #closed = false;
  #reconnecting = false;
  #wantedSize: { width: number; height: number } | undefined;
  /** The last clipboard text a user gave, offered again to the server after a reconnect. */
  #clipboard: string | undefined;

  /**
   * @param context the connection
   * @param client a client that finished its first activation
   * @param settings the settings it was opened with
   */
  constructor(context: ConnectionContext, client: RdpClient, settings: RdpSettings) {
    this.#context = context;
    this.#settings = settings;
    this.#client = client;
    this.#surface = new Surface(client.desktop.width, client.desktop.height);
    this.#display = new Display(this.#surface, { lossless: settings.forceLossless });
    this.#attach(client);
    client.refresh();
  }

  /** The mirrored screen. */
  get surface(): Surface {
    return this.#surface;
  }

  /** The RDP client in use (replaced by a reconnect). */
  get client(): RdpClient {
    return this.#client;
  }

  join(user: ProxyUser): void {
    if (this.#closed) return;
    const viewer: Viewer = {
      user,
      imageMimetypes: user.info.imageMimetypes,
      send: (text) => {
        sendText(user, text);
      },
    };
    this.#viewers.set(user, viewer);
    this.#display.addUser(viewer).catch((error: unknown) => {
      this.#context.log('warning', `Sending the screen to "${user.id}" failed: ${String(error)}`);
    });
    const readOnly = this.#settings.readOnly || user.readOnly;
    user.setHandlers({
      instruction: (instruction) => {
        this.#instruction(viewer, instruction);
      },
      ...(readOnly
        ? {}
        : {
            key: (keysym: number, pressed: boolean) => {
              this.#client.sendKeysym(keysym, pressed);
            },
            mouse: (x: number, y: number, mask: number) => {
              this.#client.sendPointer(x, y, mask);
            },
            stream: (stream: InboundStream) =>
              this.#settings.disablePaste
                ? undefined
                : acceptClipboard(stream, (text) => {
                    this.#clipboard = text;
                    this.#client.setClipboard(text);
                  }),
            size: (width: number, height: number) => {
              if (user.owner && this.#settings.resizeMethod === 'reconnect') {
                this.#resize(width, height);
              }
            },
          }),
    });
  }

  leave(user: ProxyUser): void {
    const viewer = this.#viewers.get(user);
    if (viewer === undefined) return;
    this.#viewers.delete(user);
    this.#display.removeUser(viewer);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const viewer of this.#viewers.values()) this.#display.removeUser(viewer);
    this.#viewers.clear();
    this.#detach(this.#client);
  }

  #attach(client: RdpClient): void {
    client.on('bitmap', (bitmap) => {
      this.#guard(() => {
        this.#surface.putPixels(bitmap, bitmap.rgba);
      });
    });
    client.on('cursor', (cursor) => {
      this.#guard(() => {
        this.#display.setCursor(cursor);
      });
    });
    client.on('resize', (width, height) => {
      this.#guard(() => {
        this.#surface.resize(width, height);
      });
    });
    client.on('frameEnd', () => {
      this.#display.endFrame().catch((error: unknown) => {
        this.#context.log('warning', `Sending an RDP frame failed: ${String(error)}`);
      });
    });
    client.on('clipboard', (text) => {
      if (this.#settings.disableCopy) return;
      const wire = clipboardInstructions(text);
      for (const viewer of this.#viewers.values()) void viewer.send(wire);
    });
    client.on('error', (error) => {
      this.#fail(error);
    });
    client.on('close', () => {
      if (this.#closed) return;
      this.#context.log('info', 'The RDP server closed the connection.');
      this.#context.end();
    });
  }

  #detach(client: RdpClient): void {
    client.removeAllListeners();
    client.close();
  }

  #fail(error: GuacamoleError): void {
    if (this.#closed) return;
    this.#context.abort(error);
  }

  /** Reconnects at the owner's new size; sizes asked for meanwhile are applied after. */
  #resize(width: number, height: number): void {
    const w = Math.max(64, Math.min(8192, Math.trunc(width)));
    const h = Math.max(64, Math.min(8192, Math.trunc(height)));
    this.#wantedSize = { width: w, height: h };
    if (this.#reconnecting || this.#closed) return;
    const desktop = this.#client.desktop;
    if (desktop.width === w && desktop.height === h) return;
    this.#reconnecting = true;
    this.#wantedSize = undefined;
    this.#context.log('info', `Reconnecting at ${w}x${h}.`);
    this.#detach(this.#client);
    const settings = { ...this.#settings, width: w, height: h };
    const adopt = (client: RdpClient): void => {
      if (this.#closed) return;
      this.#client = client;
      // As guacd, the clipboard belongs to the connection: a reconnect offers it to the new server.
      if (this.#clipboard !== undefined) client.setClipboard(this.#clipboard);
      this.#guard(() => {
        this.#surface.resize(client.desktop.width, client.desktop.height);
      });
      this.#attach(client);
      client.refresh();
    };
    openRdp(settings, this.#context.signal, adopt).then(
      (client) => {
        this.#reconnecting = false;
        if (this.#closed) {
          this.#detach(client);
          return;
        }
        const next = this.#wantedSize;
        if (next !== undefined) this.#resize(next.width, next.height);
      },
      (error: unknown) => {
        this.#reconnecting = false;
        this.#fail(
          error instanceof GuacamoleError
            ? error
            : new UpstreamError(`Reconnecting failed: ${String(error)}`),
        );
      },
    );
  }

  #instruction(viewer: Viewer, instruction: Instruction): void {
    if (instruction.opcode !== 'sync') return;
    const timestamp = Number(instruction.args[0]);
    if (Number.isSafeInteger(timestamp)) this.#display.handleSync(viewer, timestamp);
  }

  /** Runs a drawing step; a size the Surface rejects ends the connection as an upstream error. */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#fail(
        error instanceof GuacamoleError
          ? error
          : new UpstreamError(`Invalid drawing from the RDP server: ${String(error)}`),
      );
      this.#client.close();
    }
  }
}
