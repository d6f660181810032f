/**
 * @module Test support for the `vnc` plugin: a ScreenModel that replays the display instructions a
 * Guacamole client receives (size, img with PNG/JPEG/WebP decoded by sharp, rect + cfill, copy) on
 * layer 0, and VncUser, a configured in-process connection to a ProxyServer.
 */
import sharp from 'sharp';
import {
  configureSocket,
  connectLocalProxy,
  type ConfiguredGuacdSocket,
} from '../../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  Instruction,
  defaultClientInformation,
} from '../../../src/protocol/index.js';
import type { ProxyServer } from '../../../src/proxy/index.js';

interface PendingImage {
  readonly x: number;
  readonly y: number;
  readonly parts: Buffer[];
}

/** Layer 0 as a Guacamole client would draw it (opaque images only). */
export class ScreenModel {
  width = 0;
  height = 0;
  pixels = new Uint8Array(0);
  readonly #images = new Map<string, PendingImage>();
  #path: { x: number; y: number; width: number; height: number } | undefined;

  /**
   * Applies one instruction; only layer-0 drawing is modelled.
   * @param instruction the instruction
   */
  async apply(instruction: Instruction): Promise<void> {
    const { opcode } = instruction;
    const n = instruction.args.map(Number);
    const [a0 = '', a1 = '', a2 = ''] = instruction.args;
    if (opcode === 'size' && a0 === '0') this.#resize(n[1] ?? 0, n[2] ?? 0);
    else if (opcode === 'img' && a2 === '0') {
      this.#images.set(a0, { x: n[4] ?? 0, y: n[5] ?? 0, parts: [] });
    } else if (opcode === 'blob') this.#images.get(a0)?.parts.push(Buffer.from(a1, 'base64'));
    else if (opcode === 'end') {
      const image = this.#images.get(a0);
      this.#images.delete(a0);
      if (image !== undefined) await this.#draw(image);
    } else if (opcode === 'rect' && a0 === '0') {
      this.#path = { x: n[1] ?? 0, y: n[2] ?? 0, width: n[3] ?? 0, height: n[4] ?? 0 };
    } else if (opcode === 'cfill' && instruction.args[1] === '0' && this.#path !== undefined) {
      const { x, y, width, height } = this.#path;
      const color = [n[2] ?? 0, n[3] ?? 0, n[4] ?? 0, 255];
      for (let row = y; row < y + height; row++) {
        for (let col = x; col < x + width; col++) this.pixels.set(color, this.#at(col, row));
      }
    } else if (opcode === 'copy' && a0 === '0') {
      const [, sx = 0, sy = 0, w = 0, h = 0, , , dx = 0, dy = 0] = n;
      const copy = this.pixels.slice();
      for (let row = 0; row < h; row++) {
        const from = this.#at(sx, sy + row);
        this.pixels.set(copy.subarray(from, from + w * 4), this.#at(dx, dy + row));
      }
    }
  }

  /**
   * @param x column
   * @param y row
   * @returns the colour as 0xRRGGBB
   */
  pixel(x: number, y: number): number {
    const at = this.#at(x, y);
    const p = this.pixels;
    return (((p[at] ?? 0) << 16) | ((p[at + 1] ?? 0) << 8) | (p[at + 2] ?? 0)) >>> 0;
  }

  #at(x: number, y: number): number {
    return (y * this.width + x) * 4;
  }

  #resize(width: number, height: number): void {
    const next = new Uint8Array(width * height * 4);
    for (let row = 0; row < Math.min(height, this.height); row++) {
      const from = row * this.width * 4;
      next.set(this.pixels.subarray(from, from + Math.min(width, this.width) * 4), row * width * 4);
    }
    this.width = width;
    this.height = height;
    this.pixels = next;
  }

  async #draw(image: PendingImage): Promise<void> {
    const { data, info } = await sharp(Buffer.concat(image.parts))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let row = 0; row < info.height; row++) {
      for (let col = 0; col < info.width; col++) {
        const x = image.x + col;
        const y = image.y + row;
        if (x >= this.width || y >= this.height) continue;
        const from = (row * info.width + col) * 4;
        this.pixels.set(data.subarray(from, from + 4), this.#at(x, y));
      }
    }
  }
}

/** A user of the proxy over connectLocalProxy + configureSocket, with a screen model. */
export class VncUser {
  readonly socket: ConfiguredGuacdSocket;
  readonly screen = new ScreenModel();
  /** Every instruction read so far. */
  readonly received: Instruction[] = [];

  private constructor(socket: ConfiguredGuacdSocket) {
    this.socket = socket;
  }

  /**
   * Selects `vnc` (or joins `$id`) with the given parameters.
   * @param proxy the proxy
   * @param parameters connection parameters
   * @param protocol `vnc` or a connection ID
   * @returns the configured user
   */
  static async open(
    proxy: ProxyServer,
    parameters: Record<string, string>,
    protocol = 'vnc',
  ): Promise<VncUser> {
    const joining = protocol.startsWith('$');
    const config = new GuacamoleConfiguration({
      protocol: joining ? undefined : protocol,
      connectionId: joining ? protocol : undefined,
      parameters: new Map(Object.entries(parameters)),
    });
    const info = { ...defaultClientInformation(), imageMimetypes: ['image/png'] };
    return new VncUser(await configureSocket(connectLocalProxy(proxy), config, info));
  }

  /**
   * Reads until an instruction with `opcode`, applying display instructions to the screen.
   * @param opcode the opcode wanted
   * @returns that instruction
   */
  async expect(opcode: string): Promise<Instruction> {
    for (;;) {
      const instruction = await this.socket.reader.readInstruction();
      if (instruction === null) throw new Error(`Closed while waiting for "${opcode}".`);
      this.received.push(instruction);
      await this.screen.apply(instruction);
      if (instruction.opcode === opcode) return instruction;
    }
  }

  /**
   * Reads frames until the screen has `rgb` at (x, y).
   * @param x column
   * @param y row
   * @param rgb 0xRRGGBB
   */
  async waitForPixel(x: number, y: number, rgb: number): Promise<void> {
    for (;;) {
      await this.expect('sync');
      if (x < this.screen.width && y < this.screen.height && this.screen.pixel(x, y) === rgb)
        return;
    }
  }

  /**
   * Sends one instruction.
   * @param opcode the opcode
   * @param args its arguments
   */
  async send(opcode: string, ...args: string[]): Promise<void> {
    await this.socket.writer.writeInstruction(new Instruction(opcode, args));
  }
}
