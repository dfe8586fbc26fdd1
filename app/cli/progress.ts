/**
 * Progress of a long command on stderr: in a terminal a bar with the total, redrawn in place;
 * without one (CI logs) a line every few seconds of wall time. Wall-clock time is fine here:
 * this is the command line's display, never the simulation.
 */

// Real timers, captured before a simulation in this thread installs virtual ones.
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressState {
  readonly done: number;
  readonly total: number;
  /** Violations found so far (check), or undefined (bench). */
  readonly violations?: number;
  /** What is happening once every run is done (shrinking a violation). */
  readonly phase?: string;
}

export interface Progress {
  /** Call as work is done; cheap (the display is throttled). */
  update(): void;
  /** Remove the bar (a terminal) and stop the periodic line. */
  stop(): void;
}

function violationText(n: number | undefined): string {
  return n === undefined ? '' : `, ${n} violation${n === 1 ? '' : 's'} so far`;
}

/**
 * A progress display reading `state()` on each update. `intervalMs`: period of the line without a
 * terminal; `noun`: what is counted (`runs`).
 */
export function startProgress(stream: ProgressStream, state: () => ProgressState, intervalMs: number, noun = 'runs'): Progress {
  if (stream.isTTY === true) {
    let shown = '';
    const draw = (): void => {
      const s = state();
      const total = Math.max(1, s.total);
      const done = Math.min(s.done, s.total);
      const width = 30;
      const filled = Math.round((done / total) * width);
      const pct = String(Math.floor((done / total) * 100)).padStart(3);
      const v = s.violations === undefined ? '' : `  ${s.violations} violation${s.violations === 1 ? '' : 's'}`;
      const line = `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%  ${done}/${s.total} ${noun}${v}${s.phase ? `  ${s.phase}` : ''}`;
      if (line === shown) return;
      shown = line;
      stream.write(`\r\x1b[K${line}`);
    };
    return {
      update: draw,
      stop: () => {
        if (shown !== '') stream.write('\r\x1b[K');
        shown = '';
      },
    };
  }
  const started = performance.now();
  const timer = realSetInterval(() => {
    const s = state();
    const pct = s.total > 0 ? ` (${Math.floor((Math.min(s.done, s.total) / s.total) * 100)}%)` : '';
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    stream.write(`hbsim: ${Math.min(s.done, s.total)}/${s.total} ${noun}${pct}${violationText(s.violations)}${s.phase ? `; ${s.phase}` : ''} after ${seconds} s\n`);
  }, intervalMs);
  timer.unref?.();
  return { update: () => {}, stop: () => realClearInterval(timer) };
}
