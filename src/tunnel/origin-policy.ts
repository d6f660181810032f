/**
 * @module OriginPolicy: which browser origins may open tunnels, against cross-site WebSocket hijacking.
 * The default admits requests without an Origin header (non-browser clients) and same-origin requests.
 */
import type { IncomingMessage } from 'node:http';

/**
 * The allowed origins: `'same-origin'` (the default), `'*'` for any, or a list of exact origins such as
 * `https://guacamole.example.com` (same-origin requests are always allowed too).
 */
export type OriginPolicy = 'same-origin' | '*' | readonly string[];

/**
 * Decides whether a request's Origin may open a tunnel.
 * @param req the HTTP request (connect POST or WebSocket upgrade)
 * @param policy the policy
 * @returns true when allowed
 */
export function isOriginAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || policy === '*') return true;
  if (Array.isArray(policy) && policy.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  // Behind a reverse proxy the Host header may be rewritten; X-Forwarded-Host carries the original.
  const forwarded = req.headers['x-forwarded-host'];
  const candidates = [req.headers.host, typeof forwarded === 'string' ? forwarded : undefined];
  return candidates.some((candidate) => candidate?.toLowerCase() === host);
}
