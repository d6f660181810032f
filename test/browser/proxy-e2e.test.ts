/**
 * @module The bundled proxy in-process, end to end: `src/main.ts` from the README's GUACAMOLE_HOME with
 * no guacd (`guacd-mode` auto → embedded), a real Xvfb + x11vnc desktop, our web UI in Chromium.
 */
import { describe } from 'node:test';
import { chromiumSkip } from './browser.js';
import { desktopSkip } from './proxy-desktop.js';
import { proxyDesktopSuite } from './proxy-e2e-suite.js';

void describe(
  'the bundled proxy in-process, in Chromium, against a real VNC desktop',
  { skip: chromiumSkip() || desktopSkip(), timeout: 180_000 },
  () => {
    proxyDesktopSuite('embedded');
  },
);
