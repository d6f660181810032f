/**
 * @module Display: ties a surface, the frame planner and the image encoder to the connected users.
 * Each `endFrame()` sends the plan (size, copies, fills, images), the cursor if it changed, then
 * `sync`; frames that end while one is being sent are merged into the next (guacd's deferred frame).
 * Lag compensation and lossy quality follow the users' `sync` echoes, as guacd does.
 */
import { FramePlanner } from './frame-planner.js';
import {
  captureImage,
  encodeCaptured,
  encodeImage,
  extractPixels,
  suggestQuality,
  type ImageJob,
  type ImageMimetype,
} from './image-encoder.js';
import { PixelArena } from './pixel-arena.js';
import {
  COMP_OVER,
  COMP_SRC,
  CURSOR_BUFFER,
  DEFAULT_LAYER,
  copyInstruction,
  cursorInstruction,
  fillInstructions,
  imageInstructions,
  sizeInstruction,
  syncInstruction,
} from './instructions.js';
import { ProcessingLag } from './lag.js';
import { StreamPool } from './stream-pool.js';
import { checkDimensions } from './surface.js';
import type { Rect, Surface } from './surface.js';

/** guacd's `GUAC_DISPLAY_MAX_LAG_COMPENSATION`: never wait more than 500 ms for a slow client. */
export const MAX_LAG_COMPENSATION = 500;

/** Longest stretch of image set-up in one task, in ms, before the display yields to the loop. */
const IMAGE_SLICE_MS = 8;

/** A connected user as the display sees it. */
export interface DisplayUser {
  /** The mimetypes from the user's `image` handshake instruction. */
  readonly imageMimetypes: readonly string[];
  /** Sends protocol text; a returned promise applies backpressure, a rejection drops the user. */
  send(text: string): void | Promise<void>;
}

/** A cursor image: RGBA pixels, size and hotspot. */
export interface CursorImage {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly hotspotX: number;
  readonly hotspotY: number;
}

/** Display settings and injected time sources. */
export interface DisplayOptions {
  /** The clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Waits for lag compensation (default: a timer). */
  readonly delay?: (ms: number) => Promise<void>;
  /** `force-lossless`: PNG only. */
  readonly lossless?: boolean;
  /** Whether the layer is opaque, as a VNC or RDP desktop is (default true). */
  readonly opaque?: boolean;
}

/** Sends one surface to many users, frame by frame. */
export class Display {
  readonly #surface: Surface;
  readonly #planner = new FramePlanner();
  readonly #streams = new StreamPool();
  /** The frame's captured image pixels; reused once every encode of the frame has settled. */
  readonly #arena = new PixelArena();
  readonly #users = new Map<DisplayUser, ProcessingLag>();
  readonly #now: () => number;
  readonly #delay: (ms: number) => Promise<void>;
  readonly #lossless: boolean;
  readonly #opaque: boolean;
  #cursor: CursorImage | undefined;
  #cursorDirty = false;
  #passThrough: { rect: Rect; mimetype: ImageMimetype; data: Buffer }[] = [];
  #pendingFrames = 0;
  #queuedFlush: Promise<void> | undefined;
  #tail: Promise<void> = Promise.resolve();
  #lastSent = 0;

  /**
   * @param surface the framebuffer to send
   * @param options settings and injected clocks
   */
  constructor(surface: Surface, options: DisplayOptions = {}) {
    this.#surface = surface;
    this.#now = options.now ?? Date.now;
    this.#delay =
      options.delay ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.#lossless = options.lossless ?? false;
    this.#opaque = options.opaque ?? true;
  }

  /** The users currently receiving frames. */
  get users(): readonly DisplayUser[] {
    return [...this.#users.keys()];
  }

  /** The newest `sync` timestamp sent. */
  get lastSentTimestamp(): number {
    return this.#lastSent;
  }

  /** The highest processing lag of any user, in milliseconds (guacd's client-wide lag). */
  get processingLag(): number {
    let lag = 0;
    for (const tracker of this.#users.values()) lag = Math.max(lag, tracker.value);
    return lag;
  }

  /**
   * Sets the cursor; it is sent at the end of the next frame.
   * @param cursor the image and hotspot
   */
  setCursor(cursor: CursorImage): void {
    checkDimensions(cursor.width, cursor.height);
    const { hotspotX, hotspotY } = cursor;
    if (!Number.isSafeInteger(hotspotX) || hotspotX < 0 || hotspotX >= cursor.width) {
      throw new RangeError(`cursor hotspot x must be in [0, ${cursor.width}), got ${hotspotX}`);
    }
    if (!Number.isSafeInteger(hotspotY) || hotspotY < 0 || hotspotY >= cursor.height) {
      throw new RangeError(`cursor hotspot y must be in [0, ${cursor.height}), got ${hotspotY}`);
    }
    const bytes = cursor.width * cursor.height * 4;
    if (cursor.pixels.length < bytes) {
      throw new RangeError(
        `cursor pixels too short: need ${bytes} bytes, got ${cursor.pixels.length}`,
      );
    }
    this.#cursor = { ...cursor, pixels: cursor.pixels.slice(0, bytes) };
    this.#cursorDirty = true;
  }

  /**
   * Whether an image already encoded in `mimetype` may go to every user as it is: every user accepts
   * it, and lossless mode forbids lossy formats. False without users.
   * @param mimetype the image's mimetype
   * @returns true when {@link Display.passThrough} may be used
   */
  accepts(mimetype: string): boolean {
    if (this.#users.size === 0 || (this.#lossless && mimetype !== 'image/png')) return false;
    return [...this.#users.keys()].every((user) => user.imageMimetypes.includes(mimetype));
  }

  /**
   * Sends an already encoded image (e.g. a VNC server's Tight JPEG) at the start of the next frame,
   * before its copies. The caller has drawn its pixels into the surface and committed them
   * (`surface.commit`), so the planner does not send them again; it must not do so while the surface
   * has pending copies, which the image would otherwise overtake.
   * @param rect where it goes
   * @param mimetype its mimetype (see {@link Display.accepts})
   * @param data the encoded image
   */
  passThrough(rect: Rect, mimetype: ImageMimetype, data: Buffer): void {
    this.#passThrough.push({ rect, mimetype, data });
  }

  /**
   * Ends a remote frame (e.g. the end of a VNC FramebufferUpdate) and sends it.
   * @param frames how many remote frames this combines
   * @returns resolves once the frame (merged with any that end meanwhile) has been sent
   */
  endFrame(frames = 1): Promise<void> {
    if (!Number.isSafeInteger(frames) || frames < 0) {
      throw new RangeError(`frames must be a non-negative integer, got ${frames}`);
    }
    this.#pendingFrames += frames;
    this.#queuedFlush ??= this.#enqueue(async () => {
      this.#queuedFlush = undefined;
      await this.#flush();
    });
    return this.#queuedFlush;
  }

  /**
   * Adds a user. Pending changes are flushed to the others first; the newcomer then receives the
   * whole current display (size, one full image, cursor, sync) before joining the broadcast.
   * @param user the user
   * @returns resolves once the user has received the display
   */
  addUser(user: DisplayUser): Promise<void> {
    return this.#enqueue(async () => {
      await this.#flush();
      const surface = this.#surface;
      const full = { x: 0, y: 0, width: surface.width, height: surface.height };
      const raw = extractPixels(surface.clientPixels, surface.width, full);
      const png = await encodeImage(raw, full.width, full.height, this.#opaque, 'image/png', 0);
      let text = sizeInstruction(DEFAULT_LAYER, surface.width, surface.height);
      text += this.#image(COMP_OVER, DEFAULT_LAYER, 'image/png', full, png);
      if (this.#cursor) text += await this.#cursorText(this.#cursor);
      this.#lastSent = Math.max(this.#lastSent, this.#now());
      text += syncInstruction(this.#lastSent, 0);
      await user.send(text);
      this.#users.set(user, new ProcessingLag());
    });
  }

  /**
   * Stops sending to a user.
   * @param user the user
   */
  removeUser(user: DisplayUser): void {
    this.#users.delete(user);
  }

  /**
   * Records a user's `sync` echo for lag tracking.
   * @param user the user
   * @param timestamp the echoed timestamp
   * @returns false when the user is unknown or the timestamp was never sent
   */
  handleSync(user: DisplayUser, timestamp: number): boolean {
    const tracker = this.#users.get(user);
    return tracker?.acknowledge(timestamp, this.#now(), this.#lastSent) ?? false;
  }

  /**
   * The processing lag of one user.
   * @param user the user
   * @returns the lag in milliseconds, or undefined for an unknown user
   */
  userLag(user: DisplayUser): number | undefined {
    return this.#users.get(user)?.value;
  }

  /**
   * Runs a task after every earlier one, whether or not they failed.
   * @param task the task
   * @returns the task's outcome
   */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Plans and sends the pending frame, then waits as guacd does for a lagging client. */
  async #flush(): Promise<void> {
    // endFrame runs inside the VNC (or RDP) client's data handler, right after decoding the update:
    // plan in a task of our own so that the decoding and the planning never block the loop together.
    // (Planning and copying the images' pixels out stay in one task: the client model must not move
    // between them.)
    await new Promise<void>((resolve) => setImmediate(resolve));
    const frames = this.#pendingFrames;
    this.#pendingFrames = 0;
    const timestamp = this.#now();
    const plan = this.#planner.plan(this.#surface, timestamp);
    const passed = this.#passThrough;
    this.#passThrough = [];
    const cursor = this.#cursorDirty ? this.#cursor : undefined;
    this.#cursorDirty = false;
    const empty = plan === undefined && cursor === undefined && passed.length === 0;
    if (this.#users.size === 0 || empty) return;

    let head = '';
    if (plan?.size) head += sizeInstruction(DEFAULT_LAYER, plan.size.width, plan.size.height);
    for (const image of passed) {
      head += this.#image(COMP_OVER, DEFAULT_LAYER, image.mimetype, image.rect, image.data);
    }
    for (const copy of plan?.copies ?? []) head += copyInstruction(copy);
    for (const fill of plan?.rects ?? []) head += fillInstructions(fill.rect, fill.color);
    const everyone = (type: string): boolean =>
      [...this.#users.keys()].every((user) => user.imageMimetypes.includes(type));
    const settings = {
      lossless: this.#lossless,
      opaque: this.#opaque,
      jpeg: everyone('image/jpeg'),
      webp: everyone('image/webp'),
      quality: suggestQuality(this.processingLag),
    };
    // The pixels are copied out now, with the plan, into the arena; choosing formats and setting up
    // the encoders then runs in slices, so that a frame of many updates does not hold the loop for
    // long. Every job settles before the flush ends, so the next frame may reuse the arena.
    this.#arena.reset();
    const captured = (plan?.images ?? []).map((op) => ({
      op,
      image: captureImage(this.#surface, op.rect, this.#arena),
    }));
    const jobs: ImageJob[] = [];
    try {
      let slice = performance.now();
      for (const { op, image } of captured) {
        if (performance.now() - slice > IMAGE_SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        const job = encodeCaptured(image, op.framerate, settings);
        job.data.catch(() => undefined);
        jobs.push(job);
      }

      await this.#broadcast(head);
      for (const job of jobs) {
        const data = await job.data;
        await this.#broadcast(this.#image(COMP_OVER, DEFAULT_LAYER, job.mimetype, job.rect, data));
      }
    } finally {
      await Promise.allSettled(jobs.map((job) => job.data));
    }
    let tail = cursor ? await this.#cursorText(cursor) : '';
    const sinceLastFrame = this.#now() - this.#lastSent;
    const lag = this.processingLag;
    this.#lastSent = Math.max(this.#lastSent, timestamp);
    tail += syncInstruction(this.#lastSent, frames);
    await this.#broadcast(tail);

    const latency = this.#now() - timestamp;
    const wait = Math.min(MAX_LAG_COMPENSATION, lag - sinceLastFrame - Math.max(0, latency));
    if (wait > 0) await this.#delay(wait);
  }

  /**
   * The instructions of one image on a freshly allocated stream (freed once `end` is written).
   * @param mask the composite mode
   * @param layer the layer
   * @param mimetype the mimetype
   * @param rect where it goes
   * @param data the encoded image
   * @returns the wire text
   */
  #image(mask: number, layer: number, mimetype: string, rect: Rect, data: Buffer): string {
    const stream = this.#streams.allocate();
    try {
      return imageInstructions(stream, mask, layer, mimetype, rect.x, rect.y, data);
    } finally {
      this.#streams.free(stream);
    }
  }

  /**
   * The cursor's instructions: size the cursor buffer, replace its image, point `cursor` at it.
   * @param cursor the cursor
   * @returns the wire text
   */
  async #cursorText(cursor: CursorImage): Promise<string> {
    const { width, height } = cursor;
    const png = await encodeImage(cursor.pixels, width, height, false, 'image/png', 0);
    return (
      sizeInstruction(CURSOR_BUFFER, width, height) +
      this.#image(COMP_SRC, CURSOR_BUFFER, 'image/png', { x: 0, y: 0, width, height }, png) +
      cursorInstruction(cursor.hotspotX, cursor.hotspotY, width, height)
    );
  }

  /**
   * Sends text to every user, together; users whose `send` fails are dropped.
   * @param text the wire text
   */
  async #broadcast(text: string): Promise<void> {
    if (text === '') return;
    const users = [...this.#users.keys()];
    const results = await Promise.allSettled(
      users.map(async (user) => {
        await user.send(text);
      }),
    );
    results.forEach((result, i) => {
      if (result.status === 'rejected') this.#users.delete(users[i] as DisplayUser);
    });
  }
}
