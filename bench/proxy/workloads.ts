/**
 * @module bench/proxy/workloads: the four scripted workloads on the 1920×1080 desktop, each in
 * one 160×48 xterm (6×13 `fixed` font, about 970×640 px) at (100, 100):
 * - **scroll**: a Perl script prints 5 lines of 40–150 characters every 25 ms (200 lines/s);
 * - **drag**: `xdotool windowmove` moves the xterm (showing a directory listing; `--sync` so that every move is flushed) along a
 *   rectangle, 8 px every 20 ms; there is no window manager, so the uncovered root shows through;
 * - **typing**: `xdotool type --delay 150` types into `cat` in the xterm (about 6.7 keys/s);
 * - **idle**: the xterm stays still.
 * `start` sets the scene and starts the activity; the measured window begins once it is running.
 */
import type { ChildProcess } from 'node:child_process';
import { runX, stopChild, waitForWindow, xdotool, type Desktop } from './x11.js';

/** The workload names, in the order. */
export const WORKLOADS = ['scroll', 'drag', 'typing', 'idle'] as const;

/** One workload's name. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** A running workload. */
export interface RunningWorkload {
  /** Stops the activity and removes its windows. */
  stop(): Promise<void>;
}

const TITLE = 'bench-term';
const XTERM = [
  '-title',
  TITLE,
  '-geometry',
  '160x48+100+100',
  '+sb',
  '-bg',
  'white',
  '-fg',
  'black',
];

/** Prints 5 pseudo-random lines every 25 ms, as a log being tailed. */
const SCROLL_SCRIPT = String.raw`
$| = 1; srand(7); my @w = qw(GET POST 200 404 /api/session/data/mysql/connections tunnel guacd
  display frame sync img copy rect cfill blob end 127.0.0.1 user@example.org INFO WARN DEBUG
  handshake select args size audio video image timezone name connect ready);
my $n = 0;
while (1) {
  for (1..5) {
    my $line = sprintf("%06d %s", $n++, scalar localtime);
    my $len = 40 + int(rand(110));
    $line .= " " . $w[int(rand(@w))] while length($line) < $len;
    print substr($line, 0, $len), "\n";
  }
  select(undef, undef, undef, 0.025);
}`;

/** Keeps the xterm busy with a static screenful and then waits. */
const STATIC_SCRIPT = 'ls -la /usr/bin | head -46; exec sleep 100000';

/**
 * Starts a workload.
 * @param name the workload
 * @param desktop the desktop to draw on
 * @param seconds how long the activity must be able to last
 * @returns the running workload
 */
export async function startWorkload(
  name: WorkloadName,
  desktop: Desktop,
  seconds: number,
): Promise<RunningWorkload> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
  };
  try {
    const script =
      name === 'scroll'
        ? ['perl', '-e', SCROLL_SCRIPT]
        : name === 'typing'
          ? ['cat']
          : ['sh', '-c', STATIC_SCRIPT];
    children.push(runX(desktop, 'xterm', [...XTERM, '-e', ...script]));
    const window = await waitForWindow(desktop, TITLE);
    // Let the xterm draw its first screen before the activity starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (name === 'drag') children.push(runX(desktop, 'xdotool', dragScript(window, seconds)));
    else if (name === 'typing') {
      xdotool(desktop, ['mousemove', '--window', window, '200', '200']);
      const text = 'the quick brown fox jumps over the lazy dog 0123456789 '.repeat(
        Math.ceil((seconds * 7) / 55) + 1,
      );
      children.push(runX(desktop, 'xdotool', ['type', '--delay', '150', text]));
    }
    // Running for a moment: the measured window starts in steady state.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One xdotool command line that moves a window around a rectangle, 8 px every 20 ms.
 * @param window the window ID
 * @param seconds how long the moves must last at least
 * @returns xdotool's arguments
 */
function dragScript(window: string, seconds: number): string[] {
  const args: string[] = [];
  const corners: [number, number][] = [
    [100, 100],
    [860, 100],
    [860, 380],
    [100, 380],
  ];
  let [x, y] = [100, 100];
  const steps = Math.ceil((seconds + 3) / 0.02);
  for (let step = 0, corner = 1; step < steps; step++) {
    const [tx, ty] = corners[corner % 4] as [number, number];
    x += Math.sign(tx - x) * Math.min(8, Math.abs(tx - x));
    y += Math.sign(ty - y) * Math.min(8, Math.abs(ty - y));
    if (x === tx && y === ty) corner++;
    args.push('windowmove', '--sync', window, String(x), String(y), 'sleep', '0.02');
  }
  return args;
}
