/**
 * @module The bundled proxy as the standalone daemon, end to end: `src/proxy/daemon.ts` on a free port
 * used as an external guacd (`guacd-mode: external`), a real Xvfb + x11vnc desktop, our web UI in
 * Chromium.
 */
import { describe } from 'node:test';
import { chromiumSkip } from './browser.js';
import { desktopSkip } from './proxy-desktop.js';
import { proxyDesktopSuite } from './proxy-e2e-suite.js';

void describe(
  'the bundled proxy as a daemon, in Chromium, against a real VNC desktop',
  { skip: chromiumSkip() || desktopSkip(), timeout: 180_000 },
  () => {
    proxyDesktopSuite('daemon');
  },
);
