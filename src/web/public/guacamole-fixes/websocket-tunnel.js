/**
 * @module A Guacamole.WebSocketTunnel that encodes and parses code-point lengths, behaving otherwise as
 * guacamole-common-js 1.5.2+ does (tunnel-protocol.md §7.1, §7.3).
 */

import { Parser } from './parser.js';
import { StabilityTimers } from './stability-timers.js';

/**
 * @typedef {import('./types.js').GuacamoleNamespace} GuacamoleNamespace
 * @typedef {import('./types.js').GuacamoleStatus} GuacamoleStatus
 */

/** Pings go out at most this often, scheduled on receipt of data (GUACAMOLE-1687). */
const PING_FREQUENCY = 500;

/** `ws:` or `wss:` for the page's own scheme. */
const WS_SCHEME = /** @type {Record<string, string>} */ ({ 'http:': 'ws:', 'https:': 'wss:' });

/**
 * Resolves a tunnel URL against the page: absolute ws(s) URLs are kept; `/path` is taken from the
 * page's host; anything else is relative to the page's directory.
 * @param {string} tunnelURL the URL given to the constructor
 * @returns {string} an absolute ws: or wss: URL
 */
function resolveTunnelURL(tunnelURL) {
  if (tunnelURL.startsWith('ws:') || tunnelURL.startsWith('wss:')) return tunnelURL;
  const scheme = WS_SCHEME[location.protocol] ?? 'ws:';
  if (tunnelURL.startsWith('/')) return `${scheme}//${location.host}${tunnelURL}`;
  const dir = location.pathname.substring(0, location.pathname.lastIndexOf('/') + 1);
  return `${scheme}//${location.host}${dir}${tunnelURL}`;
}

/**
 * Builds the WebSocketTunnel class for one guacamole-common-js namespace.
 * @param {GuacamoleNamespace} Guacamole the namespace whose Tunnel, Status and State it uses
 * @returns {new (tunnelURL: string) => object} the tunnel class, a subclass of Guacamole.Tunnel
 */
export function createWebSocketTunnel(Guacamole) {
  const { Status, Tunnel } = Guacamole;
  const { State } = Tunnel;
  const INTERNAL = Tunnel.INTERNAL_DATA_OPCODE;

  /**
   * Tunnel over one WebSocket (subprotocol `guacamole`, text frames). The server's first
   * instruction `0.,36.<uuid>;` sets the UUID; internal pings (`0.,4.ping,<ms>;`) keep it stable.
   */
  class WebSocketTunnel extends Tunnel {
    /**
     * @param {string} tunnelURL a ws:/wss: URL, an absolute path, or a path relative to the page
     */
    constructor(tunnelURL) {
      // Guacamole.Tunnel's constructor sets state, uuid, timeouts and no-op methods as own
      // properties; ours replace those methods, bound, because ChainedTunnel copies them around.
      super();
      const url = resolveTunnelURL(tunnelURL);
      /** @type {WebSocket | null} */
      let socket = null;
      /** @type {ReturnType<typeof setTimeout> | undefined} */
      let pingTimer;
      let lastSentPing = 0;

      /** @param {GuacamoleStatus} status why the tunnel closes */
      const closeTunnel = (status) => {
        timers.clear();
        clearTimeout(pingTimer);
        if (this.state === State.CLOSED) return;
        if (status.code !== Status.Code.SUCCESS && this.onerror) this.onerror(status);
        this.setState(State.CLOSED);
        socket?.close();
      };
      const timers = new StabilityTimers(this, State, () => {
        closeTunnel(new Status(Status.Code.UPSTREAM_TIMEOUT, 'Server timeout.'));
      });

      const sendPing = () => {
        const now = Date.now();
        // Dropped by sendMessage while CONNECTING, so the first real ping follows the UUID.
        this.sendMessage(INTERNAL, 'ping', now);
        lastSentPing = now;
      };

      const resetTimers = () => {
        clearTimeout(pingTimer);
        timers.reset();
        const delay = Math.max(lastSentPing + PING_FREQUENCY - Date.now(), 0);
        if (delay > 0) pingTimer = setTimeout(sendPing, delay);
        else sendPing();
      };

      /** @param {...unknown} elements the opcode, then the arguments */
      this.sendMessage = (...elements) => {
        if (!this.isConnected() || elements.length === 0 || !socket) return;
        socket.send(Parser.toInstruction(elements));
      };

      /** @param {string} [data] the connect parameters, sent as the URL's query string */
      this.connect = (data) => {
        resetTimers();
        this.setState(State.CONNECTING);
        const parser = new Parser();
        parser.oninstruction = (opcode, args) => {
          if (this.uuid === null) {
            // GUACAMOLE-1562: only a one-argument internal instruction carries the UUID.
            if (opcode === INTERNAL && args.length === 1) this.setUUID(args[0]);
            this.setState(State.OPEN);
          }
          // Internal instructions (UUID, ping replies) only reset the timers.
          if (opcode !== INTERNAL && this.oninstruction) this.oninstruction(opcode, args);
        };

        const ws = new WebSocket(`${url}?${data ?? ''}`, 'guacamole');
        socket = ws;
        ws.onopen = () => {
          resetTimers();
        };
        ws.onclose = (event) => {
          // The server puts the decimal Guacamole status code in the close reason ("0" = success).
          if (event.reason)
            closeTunnel(new Status(Number.parseInt(event.reason, 10), event.reason));
          else if (event.code) closeTunnel(new Status(Status.Code.fromWebSocketCode(event.code)));
          else closeTunnel(new Status(Status.Code.UPSTREAM_NOT_FOUND));
        };
        ws.onmessage = (event) => {
          resetTimers();
          try {
            parser.receive(/** @type {string} */ (event.data));
          } catch (e) {
            closeTunnel(new Status(Status.Code.SERVER_ERROR, /** @type {Error} */ (e).message));
          }
        };
      };

      this.disconnect = () => {
        closeTunnel(new Status(Status.Code.SUCCESS, 'Manually closed.'));
      };
    }
  }

  return WebSocketTunnel;
}
