/**
 * @module RDP end to end in Chromium: our UI → the bundled proxy → xrdp + xorgxrdp, first with the proxy
 * in-process, then as the standalone daemon used as an external guacd. One file runs both in turn: a
 * machine has one xrdp at a time (sesman's fixed port, one test user). With CI=true a missing peer
 * fails the suite instead of skipping it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe } from 'node:test';
import { missingXrdpPeers } from '../support/xrdp.js';
import { chromiumSkip } from './browser.js';
import { rdpDesktopSuite } from './rdp-e2e-suite.js';
import { SESSION_PEERS } from './rdp-session.js';

const missing = [
  ...missingXrdpPeers(),
  ...SESSION_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0),
];
const skip =
  chromiumSkip() ||
  (missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false);

void describe(
  'RDP end to end in Chromium against xrdp + xorgxrdp',
  { skip, timeout: 400_000 },
  () => {
    before(() => {
      assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    });
    void describe('through the bundled proxy in-process', () => {
      rdpDesktopSuite('embedded');
    });
    void describe('through the bundled proxy as a daemon', () => {
      rdpDesktopSuite('daemon');
    });
  },
);
