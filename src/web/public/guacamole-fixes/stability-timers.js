/**
 * @module The receive-timeout and "unstable" timers both guacamole-common-js tunnels share
 * (tunnel-protocol.md §7.1): silence for `unstableThreshold` ms marks the tunnel UNSTABLE, silence
 * for `receiveTimeout` ms closes it with UPSTREAM_TIMEOUT "Server timeout.".
 */

/**
 * @typedef {object} TimedTunnel the parts of a Guacamole.Tunnel the timers use
 * @property {number} state the current Guacamole.Tunnel.State
 * @property {number} receiveTimeout ms of silence before the tunnel is closed
 * @property {number} unstableThreshold ms of silence before the tunnel is UNSTABLE
 * @property {(state: number) => void} setState changes the state, firing onstatechange
 */

/** The receive and unstable timers of one tunnel. */
export class StabilityTimers {
  /** @type {TimedTunnel} */
  #tunnel;

  /** @type {{ OPEN: number, UNSTABLE: number }} */
  #states;

  /** @type {() => void} */
  #onTimeout;

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #receiveTimer;

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #unstableTimer;

  /**
   * @param {TimedTunnel} tunnel the tunnel whose state the timers drive
   * @param {{ OPEN: number, UNSTABLE: number }} states Guacamole.Tunnel.State
   * @param {() => void} onTimeout called when nothing arrived for `tunnel.receiveTimeout` ms
   */
  constructor(tunnel, states, onTimeout) {
    this.#tunnel = tunnel;
    this.#states = states;
    this.#onTimeout = onTimeout;
  }

  /** Restarts both timers (something arrived) and moves an UNSTABLE tunnel back to OPEN. */
  reset() {
    this.clear();
    const tunnel = this.#tunnel;
    if (tunnel.state === this.#states.UNSTABLE) tunnel.setState(this.#states.OPEN);
    this.#receiveTimer = setTimeout(this.#onTimeout, tunnel.receiveTimeout);
    this.#unstableTimer = setTimeout(() => {
      tunnel.setState(this.#states.UNSTABLE);
    }, tunnel.unstableThreshold);
  }

  /** Stops both timers. */
  clear() {
    clearTimeout(this.#receiveTimer);
    clearTimeout(this.#unstableTimer);
  }
}
