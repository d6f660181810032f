/**
 * @module File transfer through a tunnel (webapp `StreamResource`): `GET …/streams/{index}/{filename}`
 * answers with what guacd sends on its stream `index` (the official frontend downloads files this way)
 * and `POST` sends the request body to guacd's input stream `index` (uploads, one POST per 4 MiB chunk).
 * The tunnel's StreamInterceptor does the protocol work; this module is the HTTP side.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ClientError, type ExtensionLogger } from '../extensions/api.js';
import { Tunnel } from '../tunnel/index.js';
import { HttpAnswer } from './api-error.js';
import { noContent, param } from './routing.js';

/** The download's type when the request names none; it makes the browser save the file. */
export const DEFAULT_STREAM_TYPE = 'application/octet-stream';

/** `type/subtype` with optional parameters, as a Content-Type header may carry it. */
const MEDIA_TYPE =
  /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\r\n]*"|[\w!#$&^.+-]*))*$/;

/**
 * Reads the `{index}` path parameter as JAX-RS reads an `int`: anything else matches no resource.
 * @param req the request
 * @returns the index
 * @throws {HttpAnswer} 404 when it is not a 32-bit integer
 */
function streamIndex(req: Request): number {
  const text = param(req, 'index');
  const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new HttpAnswer(404);
  return value;
}

/**
 * @param req the request
 * @returns the `type` query parameter, or the default
 * @throws {ClientError} when it is not a media type
 */
function mediaType(req: Request): string {
  const type = req.query.type;
  if (type === undefined) return DEFAULT_STREAM_TYPE;
  if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) {
    throw new ClientError('The "type" parameter is not a valid media type.');
  }
  return type;
}

/**
 * Writes the download's bytes to the response, sending the headers with the first ones, so a stream
 * that fails before any data still gets an error answer.
 */
function responseSink(res: Response, type: string) {
  const start = (): void => {
    if (res.headersSent) return;
    res.status(200).setHeader('Content-Type', type);
    if (type === DEFAULT_STREAM_TYPE) res.setHeader('Content-Disposition', 'attachment');
  };
  return {
    start,
    write: (bytes: Buffer) =>
      new Promise<void>((resolve, reject) => {
        if (res.destroyed) {
          reject(new Error('The client closed the download.'));
          return;
        }
        start();
        if (res.write(bytes)) {
          resolve();
          return;
        }
        const settle = (): void => {
          res.off('drain', settle);
          res.off('close', settle);
          if (res.destroyed && !res.writableFinished) {
            reject(new Error('The client closed the download.'));
          } else resolve();
        };
        res.on('drain', settle);
        res.on('close', settle);
      }),
  };
}

/**
 * Creates the handlers of `streams/{index}/{filename}`.
 * @param tunnelOf resolves the request's tunnel (404 when the session has no such tunnel)
 * @param logger where failures after the headers went out are logged
 * @returns the GET (download) and POST (upload) handlers
 */
export function streamHandlers(
  tunnelOf: (req: Request) => Promise<unknown>,
  logger: ExtensionLogger,
): { GET: RequestHandler; POST: RequestHandler } {
  const interceptable = async (req: Request): Promise<Tunnel> => {
    const tunnel = await tunnelOf(req);
    // Tunnels an extension opened itself have no interceptor: nothing to transfer through.
    if (!(tunnel instanceof Tunnel)) throw new HttpAnswer(404);
    return tunnel;
  };
  return {
    GET: async (req, res) => {
      const tunnel = await interceptable(req);
      const index = streamIndex(req);
      const sink = responseSink(res, mediaType(req));
      const aborted = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) aborted.abort();
      };
      res.on('close', onClose);
      try {
        await tunnel.streams.download(index, sink, aborted.signal);
      } catch (error) {
        if (!res.headersSent) throw error;
        // Part of the file went out: cut the response so the browser does not keep a truncated copy.
        const reason = error instanceof Error ? error.message : String(error);
        logger.debug(`Download of stream ${index} of tunnel ${tunnel.uuid} failed: ${reason}`);
        res.destroy();
        return;
      } finally {
        res.off('close', onClose);
      }
      sink.start();
      res.end();
    },
    POST: async (req, res) => {
      const tunnel = await interceptable(req);
      await tunnel.streams.upload(streamIndex(req), req);
      noContent(res);
    },
  };
}
