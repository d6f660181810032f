/**
 * @module createApp: the Express application with every route mounted under `http-base-path`, without
 * listening (tests and main.ts both call it).
 */
import express, { type Express } from 'express';

/** What the application needs from its caller. */
export interface AppOptions {
  /** The base path everything is served under, e.g. `/` or `/guacamole`. */
  readonly basePath: string;
}

/**
 * Normalises a base path to start with `/` and not end with one (except the root).
 * @param path the configured `http-base-path`
 * @returns the normalised path
 */
export function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Builds the application.
 * @param options the base path
 * @returns the Express app
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(normaliseBasePath(options.basePath), router);
  return app;
}
