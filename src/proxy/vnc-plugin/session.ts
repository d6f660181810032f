/**
 * @module VncSession: one running VNC connection as a protocol session. The VncClient's framebuffer
 * changes are mirrored into a Surface that a Display sends to every joined user; users' keys, pointer,
 * clipboard and size go back to the VNC server unless the connection or the user is read-only.
 */
import {
  GuacamoleError,
  Parser,
  UPSTREAM_LIMITS,
  UpstreamError,
  type Instruction,
} from '../../protocol/index.js';
import { Display, type CursorImage, type DisplayUser } from '../display/display.js';
import { Surface } from '../display/surface.js';
import type { ConnectionContext, ProtocolSession, ProxyUser } from '../plugin.js';
import type { ServerInit, VncClient, VncSettings } from '../vnc/index.js';
import { decodeTightImage } from '../vnc/decoders/tight-image.js';
import { acceptClipboard, clipboardInstructions } from './clipboard.js';
import { DrawQueue } from './draw-queue.js';

/** The display side of one user. */
interface Viewer extends DisplayUser {
  readonly user: ProxyUser;
}

/** A connected VNC session: the VncClient, its Surface and Display, and the joined users. */
export class VncSession implements ProtocolSession {
  readonly #context: ConnectionContext;
  readonly #client: VncClient;
  readonly #settings: VncSettings;
  readonly #viewers = new Map<ProxyUser, Viewer>();
  #surface: Surface | undefined;
  #display: Display | undefined;
  #closed = false;
  readonly #queue = new DrawQueue((error) => {
    this.fail(
      error instanceof GuacamoleError
        ? error
        : new UpstreamError(`Invalid drawing from the VNC server: ${String(error)}`),
    );
    this.#client.close();
  });

  /**
   * Listens to a VncClient whose handshake is still running; call before its `ready` can fire.
   * @param context the connection
   * @param client the VNC client
   * @param settings the parsed connection parameters
   */
  constructor(context: ConnectionContext, client: VncClient, settings: VncSettings) {
    this.#context = context;
    this.#client = client;
    this.#settings = settings;
    client.on('ready', (init) => {
      this.#ready(init);
    });
    client.on('update', (rect) => {
      this.#update(rect);
    });
    client.on('copy', (srcX, srcY, dest) => {
      this.#draw(() => this.#surface?.copyRect({ ...dest, x: srcX, y: srcY }, dest.x, dest.y));
    });
    client.on('resize', (width, height) => {
      this.#draw(() => this.#surface?.resize(Math.max(1, width), Math.max(1, height)));
    });
    client.on('cursor', (cursor) => {
      this.#draw(() => this.#display?.setCursor(cursorImage(cursor)));
    });
    client.on('image', (rect, mimetype, data) => {
      // Tight JPEG/PNG: decoded off the event loop into the surface, later drawing waiting for it;
      // the compressed data itself goes to the users when they all accept its type.
      this.#queue.after(decodeTightImage(data, rect), (pixels) => {
        this.#guard(() => {
          this.#drawImage(rect, mimetype, data, pixels);
        });
      });
    });
    client.on('clipboard', (text) => {
      if (this.#settings['disable-copy']) return;
      const wire = clipboardInstructions(text);
      for (const viewer of this.#viewers.values()) void viewer.send(wire);
    });
    client.on('frameEnd', () => {
      this.#queue.run(() => {
        this.#display?.endFrame().catch((error: unknown) => {
          context.log('warning', `Sending a VNC frame failed: ${String(error)}`);
        });
      });
    });
  }

  /** The mirrored screen, once the handshake completed. */
  get surface(): Surface | undefined {
    return this.#surface;
  }

  join(user: ProxyUser): void {
    const display = this.#display;
    if (display === undefined || this.#closed) return;
    const viewer: Viewer = {
      user,
      imageMimetypes: user.info.imageMimetypes,
      send: (text) => {
        sendText(user, text);
      },
    };
    this.#viewers.set(user, viewer);
    display.addUser(viewer).catch((error: unknown) => {
      this.#context.log('warning', `Sending the screen to "${user.id}" failed: ${String(error)}`);
    });
    const readOnly = this.#settings['read-only'] || user.readOnly;
    const client = this.#client;
    user.setHandlers({
      instruction: (instruction) => {
        this.#instruction(viewer, instruction);
      },
      ...(readOnly
        ? {}
        : {
            key: (keysym, pressed) => {
              if (keysym >= 0 && keysym <= 0xffffffff) client.sendKey(keysym, pressed);
            },
            mouse: (x, y, mask) => {
              const surface = this.#surface;
              if (surface === undefined) return;
              const cx = Math.max(0, Math.min(surface.width - 1, x));
              const cy = Math.max(0, Math.min(surface.height - 1, y));
              client.sendPointer(cx, cy, mask & 0x1f);
            },
            stream: (stream) =>
              this.#settings['disable-paste']
                ? undefined
                : acceptClipboard(stream, (text) => {
                    client.sendClipboard(text);
                  }),
            size: (width, height) => {
              if (!user.owner || this.#settings['disable-display-resize']) return;
              client.requestDesktopSize(width, height);
            },
          }),
    });
  }

  leave(user: ProxyUser): void {
    const viewer = this.#viewers.get(user);
    if (viewer === undefined) return;
    this.#viewers.delete(user);
    this.#display?.removeUser(viewer);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const viewer of this.#viewers.values()) this.#display?.removeUser(viewer);
    this.#viewers.clear();
    this.#client.close();
    this.#client.removeAllListeners();
  }

  /**
   * Ends the connection because the VNC side failed or closed (not called after `close`).
   * @param error the failure; a clean close of the server becomes an UpstreamError (515)
   */
  fail(error: GuacamoleError | undefined): void {
    if (this.#closed) return;
    this.#context.abort(error ?? new UpstreamError('The VNC server closed the connection.'));
  }

  #ready(init: ServerInit): void {
    this.#surface = new Surface(Math.max(1, init.width), Math.max(1, init.height));
    this.#display = new Display(this.#surface, { lossless: this.#settings['force-lossless'] });
  }

  #update(rect: { x: number; y: number; width: number; height: number }): void {
    if (rect.width === 0 || rect.height === 0) return;
    const fb = this.#client.framebuffer;
    const offset = (rect.y * fb.width + rect.x) * 4;
    const stride = fb.width * 4;
    // While a decode is in flight the framebuffer moves on: keep this rect's pixels as they are now.
    const pixels = this.#queue.waiting
      ? fb.data.slice(offset, offset + stride * (rect.height - 1) + rect.width * 4)
      : fb.data.subarray(offset);
    this.#draw(() => this.#surface?.putPixels(rect, pixels, stride));
  }

  /**
   * Draws a decoded Tight image into the surface; when every user accepts its type (and no copy of
   * this frame would be overtaken), marks it as shown and hands the compressed data to the display.
   * @param rect where it goes
   * @param mimetype its type
   * @param data the compressed image
   * @param pixels its decoded RGBA pixels
   */
  #drawImage(
    rect: { x: number; y: number; width: number; height: number },
    mimetype: 'image/jpeg' | 'image/png',
    data: Uint8Array,
    pixels: Uint8Array,
  ): void {
    const surface = this.#surface;
    const display = this.#display;
    if (surface === undefined || display === undefined || this.#closed) return;
    surface.putPixels(rect, pixels);
    if (!display.accepts(mimetype) || surface.hasPendingCopies) return;
    surface.commit(rect);
    display.passThrough(rect, mimetype, Buffer.from(data));
  }

  /**
   * Runs a drawing step in the server's order (after any image still decoding), guarded.
   * @param step the step
   */
  #draw(step: () => void): void {
    this.#queue.run(() => {
      this.#guard(step);
    });
  }

  #instruction(viewer: Viewer, instruction: Instruction): void {
    if (instruction.opcode !== 'sync') return;
    const timestamp = Number(instruction.args[0]);
    if (Number.isSafeInteger(timestamp)) this.#display?.handleSync(viewer, timestamp);
  }

  /** Runs a drawing step; a size the Surface rejects ends the connection as an upstream error. */
  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      const failure =
        error instanceof GuacamoleError
          ? error
          : new UpstreamError(`Invalid drawing from the VNC server: ${String(error)}`);
      this.fail(failure);
      this.#client.close();
    }
  }
}

/**
 * Sends already encoded instructions: as they are through `sendRaw` when the user has it, otherwise
 * re-parsed into ProxyUser's per-instruction `send`.
 * @param user the user
 * @param text whole instructions
 */
export function sendText(user: ProxyUser, text: string): void {
  if (user.sendRaw !== undefined) {
    user.sendRaw(text);
    return;
  }
  new Parser(UPSTREAM_LIMITS).receive(text, (instruction) => {
    user.send(instruction.opcode, ...instruction.args);
  });
}

/** A fully transparent 1×1 cursor: how an empty (0×0) server cursor, which hides it, is drawn. */
const HIDDEN_CURSOR: CursorImage = Object.freeze({
  pixels: new Uint8Array(4),
  width: 1,
  height: 1,
  hotspotX: 0,
  hotspotY: 0,
});

/**
 * Turns a server's cursor into one the Display accepts.
 * @param cursor the cursor as the VNC server sent it
 * @returns the same image, or a hidden cursor for an empty one, with the hotspot inside the image
 */
function cursorImage(cursor: {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly hotspot: { readonly x: number; readonly y: number };
}): CursorImage {
  if (cursor.width === 0 || cursor.height === 0) return HIDDEN_CURSOR;
  return {
    pixels: cursor.pixels,
    width: cursor.width,
    height: cursor.height,
    // Servers may put the hotspot on the far edge (x11vnc with XFixes does); guacd passes it
    // through, the Display wants it inside the image, so it is clamped onto the last pixel.
    hotspotX: clampHotspot(cursor.hotspot.x, cursor.width),
    hotspotY: clampHotspot(cursor.hotspot.y, cursor.height),
  };
}

/**
 * Clamps a server-supplied cursor hotspot coordinate into the cursor image.
 * @param value the hotspot coordinate the server sent
 * @param size the cursor's width or height
 * @returns the coordinate within [0, size - 1]
 */
function clampHotspot(value: number, size: number): number {
  return Math.min(Math.max(0, value), Math.max(0, size - 1));
}
