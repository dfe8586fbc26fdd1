/**
 * Interrupting a long command (Ctrl-C in a terminal, SIGTERM from a CI runner): the command stops
 * its worker threads, says what it covered and exits 130 (SIGINT) or 143 (SIGTERM), as a shell
 * reports a process killed by that signal. Report files are written whole or not at all (they
 * are written only once a check is done, each by a rename), so none is left half-written.
 */
import type { CheckTally } from '../../properties/check-observer.js';
import { replayBySeedCommand } from './check-command.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code after each signal: 128 + its number. */
export const INTERRUPT_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Call `onSignal` on the first SIGINT or SIGTERM (instead of dying at once); a second signal exits
 * at once. Returns a function that removes the handlers.
 */
export function trapInterrupts(onSignal: (signal: StopSignal) => void): () => void {
  let received = false;
  const handler = (signal: StopSignal): void => {
    if (received) process.exit(INTERRUPT_EXIT[signal]);
    received = true;
    onSignal(signal);
  };
  const onInt = (): void => handler('SIGINT');
  const onTerm = (): void => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/** What an interrupted check prints (stderr): how far it got, per property, and any violation found with its replay command. */
export function interruptedCheckLines(tally: CheckTally, signal: StopSignal, fileArg: string, seed: number, runs: number, maxFaults: number): string[] {
  const lines = [`hbsim: interrupted (${signal}) after ${tally.evaluated} of ${tally.total || runs} runs, seed ${seed}${tally.shrinkingNow ? `, while shrinking a violation of ${tally.shrinkingNow}` : ''}`];
  if (tally.properties.length === 0) lines.push('  covered so far: nothing (the fault-free reference run had not finished)');
  else lines.push(`  covered so far: ${tally.properties.map((p) => `${p} ${tally.runsOf(p)} runs`).join(', ')}`);
  const found = tally.violations();
  if (found.length === 0) lines.push('  no violation found so far');
  for (const [property, v] of found) {
    lines.push(`  ${property} violated by run ${v.index} (not shrunk yet); replay it: ${replayBySeedCommand(fileArg, seed, String(v.index), maxFaults, property)}`);
  }
  lines.push(`  no report written; the same search again: --seed ${seed}`);
  return lines;
}
