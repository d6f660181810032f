/**
 * @module A Guacamole.HTTPTunnel that encodes and parses code-point lengths, behaving otherwise as
 * guacamole-common-js 1.5.2+ does (tunnel-protocol.md §2, §7.1, §7.2).
 */

import { Parser } from './parser.js';
import { StabilityTimers } from './stability-timers.js';

/**
 * @typedef {import('./types.js').GuacamoleNamespace} GuacamoleNamespace
 * @typedef {import('./types.js').GuacamoleStatus} GuacamoleStatus
 */

/** A `nop` goes out this often; the write responses are what keep an HTTP tunnel stable. */
const PING_FREQUENCY = 500;

/** Re-reads responseText this often until the browser is seen firing repeated readyState 3 events. */
const POLL_INTERVAL = 30;

/** The header that carries the tunnel's session token on every request after connect. */
const TUNNEL_TOKEN_HEADER = 'Guacamole-Tunnel-Token';

/**
 * Builds the HTTPTunnel class for one guacamole-common-js namespace.
 * @param {GuacamoleNamespace} Guacamole the namespace whose Tunnel, Status and State it uses
 * @returns {new (tunnelURL: string, crossDomain?: boolean, extraTunnelHeaders?: Record<string, string>) => object}
 *     the tunnel class, a subclass of Guacamole.Tunnel
 */
export function createHTTPTunnel(Guacamole) {
  const { Status, Tunnel } = Guacamole;
  const { State } = Tunnel;
  const INTERNAL = Tunnel.INTERNAL_DATA_OPCODE;

  /**
   * Tunnel over XMLHttpRequest: `?connect` returns the UUID and token, streamed `?read:<uuid>:<n>`
   * responses each end in `0.;` (the next one already in flight), `?write:<uuid>` posts batches.
   */
  class HTTPTunnel extends Tunnel {
    /**
     * @param {string} tunnelURL the tunnel servlet's URL
     * @param {boolean} [crossDomain] send credentials (cookies) with cross-origin requests
     * @param {Record<string, string>} [extraTunnelHeaders] headers added to every request
     */
    constructor(tunnelURL, crossDomain, extraTunnelHeaders) {
      // See WebSocketTunnel: our methods must be bound own properties, replacing the base's no-ops.
      // The constructor is one long closure, as in guacamole-common-js: the timers, token, output
      // buffer and read chain are state that every method shares and nothing else may touch.
      super();
      const connectURL = `${tunnelURL}?connect`;
      const readURL = `${tunnelURL}?read:`;
      const writeURL = `${tunnelURL}?write:`;
      const withCredentials = Boolean(crossDomain);
      const extraHeaders = extraTunnelHeaders ?? {};
      /** @type {string | null} */
      let token = null;
      let requestId = 0;
      let polling = true;
      let sendingMessages = false;
      let outputMessageBuffer = '';
      /** @type {ReturnType<typeof setInterval> | undefined} */
      let pingInterval;

      /** @param {GuacamoleStatus} status why the tunnel closes */
      const closeTunnel = (status) => {
        timers.clear();
        clearInterval(pingInterval);
        if (this.state === State.CLOSED) return;
        // After connecting, 404/516 ("No such tunnel.") is how the server says the session ended.
        const silent =
          this.state !== State.CONNECTING && status.code === Status.Code.RESOURCE_NOT_FOUND;
        if (status.code !== Status.Code.SUCCESS && !silent && this.onerror) this.onerror(status);
        sendingMessages = false;
        outputMessageBuffer = '';
        this.setState(State.CLOSED);
      };
      const timers = new StabilityTimers(this, State, () => {
        closeTunnel(new Status(Status.Code.UPSTREAM_TIMEOUT, 'Server timeout.'));
      });

      /**
       * @param {XMLHttpRequest} xhr the request
       * @param {boolean} [sendToken] whether to add the tunnel token header
       */
      const addHeaders = (xhr, sendToken = true) => {
        xhr.withCredentials = withCredentials;
        for (const [name, value] of Object.entries(extraHeaders)) xhr.setRequestHeader(name, value);
        if (sendToken && token !== null) xhr.setRequestHeader(TUNNEL_TOKEN_HEADER, token);
      };

      /** @param {XMLHttpRequest} xhr a request that failed */
      const handleHTTPTunnelError = (xhr) => {
        const code = Number.parseInt(xhr.getResponseHeader('Guacamole-Status-Code') ?? '', 10);
        if (code) {
          const message = xhr.getResponseHeader('Guacamole-Error-Message');
          closeTunnel(new Status(code, message));
        } else if (xhr.status) {
          closeTunnel(new Status(Status.Code.fromHTTPCode(xhr.status), xhr.statusText));
        } else {
          closeTunnel(new Status(Status.Code.UPSTREAM_NOT_FOUND));
        }
      };

      const sendPendingMessages = () => {
        if (!this.isConnected()) return;
        if (outputMessageBuffer.length === 0) {
          sendingMessages = false;
          return;
        }
        sendingMessages = true;
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${writeURL}${this.uuid ?? ''}`);
        addHeaders(xhr);
        xhr.setRequestHeader('Content-type', 'application/octet-stream');
        xhr.onreadystatechange = () => {
          if (xhr.readyState !== 4) return;
          timers.reset();
          if (xhr.status !== 200) handleHTTPTunnelError(xhr);
          else sendPendingMessages();
        };
        xhr.send(outputMessageBuffer);
        outputMessageBuffer = '';
      };

      /** @returns {XMLHttpRequest} the next read request, already sent */
      const makeRequest = () => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', `${readURL}${this.uuid ?? ''}:${requestId++}`);
        addHeaders(xhr);
        xhr.send(null);
        return xhr;
      };

      /**
       * Streams one read response into a fresh parser until its `0.;`, then moves on to the read
       * request that was started as soon as this one's 200 status arrived.
       * @param {XMLHttpRequest} xhr the read request
       */
      const handleResponse = (xhr) => {
        /** @type {ReturnType<typeof setInterval> | undefined} */
        let interval;
        /** @type {XMLHttpRequest | null} */
        let nextRequest = null;
        let dataUpdateEvents = 0;
        let done = false;
        const parser = new Parser();

        const finish = () => {
          done = true;
          clearInterval(interval);
          parser.oninstruction = null;
          xhr.onreadystatechange = null;
        };

        parser.oninstruction = (opcode, args) => {
          if (opcode === INTERNAL && args.length === 0) {
            // End of this response: whatever follows `0.;` in it is ignored.
            finish();
            xhr.abort();
            if (nextRequest) handleResponse(nextRequest);
          } else if (opcode !== INTERNAL && this.oninstruction) {
            this.oninstruction(opcode, args);
          }
        };

        const parseResponse = () => {
          if (done) return;
          if (!this.isConnected()) {
            clearInterval(interval);
            return;
          }
          if (xhr.readyState < 2) return;
          let status = 200;
          try {
            status = xhr.status;
          } catch {
            // Some browsers throw while the status is not known; treat it as success.
          }
          if (!nextRequest && status === 200) nextRequest = makeRequest();
          if (xhr.readyState !== 3 && xhr.readyState !== 4) return;

          timers.reset();
          // Some browsers do not fire readyState 3 for every chunk, so poll until they are seen to.
          if (polling) {
            if (xhr.readyState === 3 && interval === undefined)
              interval = setInterval(parseResponse, POLL_INTERVAL);
            else if (xhr.readyState === 4) clearInterval(interval);
          }

          if (xhr.status === 0) {
            this.disconnect();
            return;
          }
          if (xhr.status !== 200) {
            handleHTTPTunnelError(xhr);
            return;
          }
          let current;
          try {
            current = xhr.responseText;
          } catch {
            return;
          }
          try {
            parser.receive(current, true);
          } catch (e) {
            finish();
            closeTunnel(new Status(Status.Code.SERVER_ERROR, /** @type {Error} */ (e).message));
          }
        };

        if (polling) {
          xhr.onreadystatechange = () => {
            if (xhr.readyState === 3 && ++dataUpdateEvents >= 2) {
              // Two progress events: this browser streams properly, no need to poll any more.
              polling = false;
              xhr.onreadystatechange = parseResponse;
            }
            parseResponse();
          };
        } else {
          xhr.onreadystatechange = parseResponse;
        }
        parseResponse();
      };

      /** @param {...unknown} elements the opcode, then the arguments */
      this.sendMessage = (...elements) => {
        if (!this.isConnected() || elements.length === 0) return;
        outputMessageBuffer += Parser.toInstruction(elements);
        if (!sendingMessages) sendPendingMessages();
      };

      /** @param {string} [data] the connect parameters, URL-encoded, sent as the POST body */
      this.connect = (data) => {
        timers.reset();
        this.setState(State.CONNECTING);
        const xhr = new XMLHttpRequest();
        xhr.onreadystatechange = () => {
          if (xhr.readyState !== 4) return;
          if (xhr.status !== 200) {
            handleHTTPTunnelError(xhr);
            return;
          }
          timers.reset();
          // The whole body is the UUID; the token comes in a header.
          this.setUUID(xhr.responseText);
          token = xhr.getResponseHeader(TUNNEL_TOKEN_HEADER);
          if (!token) {
            closeTunnel(new Status(Status.Code.UPSTREAM_NOT_FOUND));
            return;
          }
          this.setState(State.OPEN);
          pingInterval = setInterval(() => {
            this.sendMessage('nop');
          }, PING_FREQUENCY);
          handleResponse(makeRequest());
        };
        xhr.open('POST', connectURL, true);
        addHeaders(xhr, false);
        xhr.setRequestHeader('Content-type', 'application/x-www-form-urlencoded; charset=UTF-8');
        xhr.send(data ?? null);
      };

      this.disconnect = () => {
        closeTunnel(new Status(Status.Code.SUCCESS, 'Manually closed.'));
      };
    }
  }

  return HTTPTunnel;
}
