/**
 * @module A machine-wide lock for the real xrdp peer: xrdp reads sesman's port from the system
 * /etc/xrdp/sesman.ini and every test logs in the same test user, so only one test process may run
 * xrdp at a time. The lock is a file created exclusively that names its holder's PID; a holder that
 * died leaves a stale file, which the next taker removes. Waiting is a bounded poll of that file.
 */
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The lock file. */
const LOCK = path.join(os.tmpdir(), 'guacamole-test-xrdp.lock');
/** How often a waiting taker looks at the lock again. */
const POLL_MS = 100;

/** @returns whether a process with this PID exists */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file with our PID; false when it already exists. */
async function tryCreate(): Promise<boolean> {
  try {
    const file = await open(LOCK, 'wx');
    await file.writeFile(String(process.pid));
    await file.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the xrdp lock, waiting while another live process holds it.
 * @param ms give up after this long
 * @returns a function that releases the lock (idempotent)
 * @throws {Error} naming the holder when the lock is still held after `ms`
 */
export async function lockXrdp(ms: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await tryCreate()) break;
    const holder = Number(await readFile(LOCK, 'utf8').catch(() => ''));
    // A lock without a live holder is stale (a file being written has no PID yet: wait for it).
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      await rm(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${LOCK} is still held by PID ${String(holder)} after ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  let held = true;
  return async () => {
    if (!held) return;
    held = false;
    await rm(LOCK, { force: true });
  };
}
