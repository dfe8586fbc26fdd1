/**
 * The regression corpus: every failing case a check finds is kept as a small JSON file,
 * `<corpus>/<scenario>/<property>-<hash>.json` (default corpus: `reports/corpus`), meant to be
 * committed; the next check replays the corpus first, before searching, so a bug once found
 * stays a test.
 *
 * A case is its world seed and its minimal fault plan, with the property it broke. It is
 * replayed against the scenario as it is now: it still fails (the property is violated, whatever
 * the search then finds), it passes (fixed: kept as a test), or it is stale: one of its faults
 * lands on a place the scenario's fault-free run no longer has (a sink effect, a heartbeat, a
 * world call past the end, a time after the run ended). Stale cases are reported, never dropped;
 * the file stays until the user deletes it.
 *
 * The file's content is a pure function of the case (no date, no machine): checking twice writes
 * the same bytes, and a diff shows only new cases.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HbsimConfigError } from '../src/errors.js';
import type { Fault, FaultPlan } from '../sim/fault-plan.js';
import { Digest } from '../sim/digest.js';
import { planSpaceOf, type SearchCase } from './arbitraries/fault-plan.js';
import type { CaseRunner } from './case-runner.js';
import { kindOfFault, placeOf } from './coverage.js';
import { PROPERTY_NAMES, type PropertyName, type Violation } from './types.js';

/** Bumped when the format changes incompatibly. */
export const CORPUS_FORMAT = 1;

/** One kept case, as committed. */
export interface CorpusCase {
  readonly hbsimCorpus: typeof CORPUS_FORMAT;
  readonly scenario: string;
  readonly property: PropertyName;
  readonly worldSeed: number;
  readonly plan: FaultPlan;
  /** The violation when it was found (for a reader of the file; not compared). */
  readonly summary: string;
}

export interface CorpusEntry {
  /** The file it was read from. */
  readonly file: string;
  readonly case: CorpusCase;
}

/** What replaying one case gave. */
export interface CorpusResult {
  readonly file: string;
  readonly property: PropertyName;
  readonly worldSeed: number;
  readonly plan: FaultPlan;
  /** `fails`: still violates its property; `passes`: fixed; `stale`: its fault points no longer exist. */
  readonly status: 'fails' | 'passes' | 'stale';
  /** For `stale`: which fault, and why. */
  readonly why?: string;
  readonly violation?: Violation;
}

/** A file name piece from a scenario name. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

/** The folder of `scenario`'s cases in the corpus `dir`. */
export function corpusFolder(dir: string, scenario: string): string {
  return join(dir, slug(scenario));
}

/** A stable name: the property and a hash of the world seed and the plan. */
export function corpusFileName(property: PropertyName, worldSeed: number, plan: FaultPlan): string {
  const d = new Digest();
  d.number(worldSeed);
  d.value(plan);
  return `${property}-${d.hex().slice(0, 12)}.json`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function need(cond: boolean, file: string, field: string, value: unknown, expected: string): asserts cond {
  if (!cond) throw new HbsimConfigError(`${file}: ${field}`, value, expected);
}

/** Read and validate one corpus file (anything wrong is a clear error naming the file and field). */
export function parseCorpusCase(file: string, text: string, parseFault: (v: unknown, file: string, field: string) => Fault): CorpusCase {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HbsimConfigError('corpus file', file, 'the JSON that hbsim check wrote', `is not valid JSON (${(error as Error).message})`);
  }
  need(isObject(data), file, '(top level)', data, 'a corpus case object');
  need(data['hbsimCorpus'] === CORPUS_FORMAT, file, 'hbsimCorpus', data['hbsimCorpus'], `format version ${CORPUS_FORMAT}`);
  need(typeof data['scenario'] === 'string', file, 'scenario', data['scenario'], 'the scenario name');
  need(typeof data['property'] === 'string' && (PROPERTY_NAMES as readonly string[]).includes(data['property']), file, 'property', data['property'], `one of ${PROPERTY_NAMES.join(', ')}`);
  need(Number.isInteger(data['worldSeed']), file, 'worldSeed', data['worldSeed'], 'an integer');
  need(typeof data['summary'] === 'string', file, 'summary', data['summary'], 'a string');
  need(Array.isArray(data['plan']), file, 'plan', data['plan'], 'a list of faults');
  (data['plan'] as unknown[]).forEach((f, i) => parseFault(f, file, `plan[${i}]`));
  return data as unknown as CorpusCase;
}

/** Every case of `scenario` in the corpus `dir`, in file-name order (none if the folder does not exist). */
export function readCorpus(dir: string, scenario: string, parseFault: (v: unknown, file: string, field: string) => Fault): CorpusEntry[] {
  const folder = corpusFolder(dir, scenario);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => {
      const file = join(folder, n);
      return { file, case: parseCorpusCase(file, readFileSync(file, 'utf8'), parseFault) };
    });
}

/** Keep a failing case; returns its file (an existing file with the same case is left as it is). */
export function keepCase(dir: string, c: Omit<CorpusCase, 'hbsimCorpus'>): { readonly file: string; readonly added: boolean } {
  const folder = corpusFolder(dir, c.scenario);
  const file = join(folder, corpusFileName(c.property, c.worldSeed, c.plan));
  if (existsSync(file)) return { file, added: false };
  mkdirSync(folder, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const data: CorpusCase = { hbsimCorpus: CORPUS_FORMAT, scenario: c.scenario, property: c.property, worldSeed: c.worldSeed, plan: c.plan, summary: c.summary };
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  renameSync(tmp, file); // atomic: a reader never sees half a case
  return { file, added: true };
}

/** The search case of a corpus case, for `runner` (whose base seed may differ from the case's world seed). */
export function searchCaseOf(runner: CaseRunner, c: { readonly worldSeed: number; readonly plan: FaultPlan }): SearchCase {
  return { world: (c.worldSeed - runner.baseSeed) | 0, plan: c.plan };
}

/** Why `plan` is stale against the fault-free run of its world seed, or `undefined`. */
export async function staleness(runner: CaseRunner, c: CorpusCase): Promise<string | undefined> {
  const space = planSpaceOf(runner.scenario, await runner.reference(c.worldSeed));
  for (const [i, fault] of c.plan.entries()) {
    if (kindOfFault(fault) === undefined) continue; // not keyed on a place (poissonCrashes)
    if (placeOf(fault, space) === undefined) return `fault ${i + 1} (${JSON.stringify(fault)}) lands on a place the fault-free run no longer has`;
  }
  return undefined;
}

/** Replay each case on its property, in order. */
export async function replayCorpus(runner: CaseRunner, entries: readonly CorpusEntry[], every: number): Promise<CorpusResult[]> {
  const out: CorpusResult[] = [];
  for (const { file, case: c } of entries) {
    const base = { file, property: c.property, worldSeed: c.worldSeed, plan: c.plan };
    const why = await staleness(runner, c);
    if (why !== undefined) {
      out.push({ ...base, status: 'stale', why });
      continue;
    }
    const violation = await runner.verdict(c.property, searchCaseOf(runner, c), true, every);
    out.push(violation === undefined ? { ...base, status: 'passes' } : { ...base, status: 'fails', violation });
  }
  return out;
}

/** `corpus: 3 cases replayed: 1 still fails, 1 passes (fixed), 1 stale`, and a line per case that does not pass. */
export function corpusLines(results: readonly CorpusResult[]): string[] {
  if (results.length === 0) return [];
  const n = (s: CorpusResult['status']) => results.filter((r) => r.status === s).length;
  const lines = [`regression corpus: ${results.length} case(s) replayed first: ${n('fails')} still fail, ${n('passes')} pass, ${n('stale')} stale`];
  for (const r of results) {
    if (r.status === 'fails') lines.push(`  still fails  ${r.property}  ${r.file}`);
    if (r.status === 'stale') lines.push(`  stale        ${r.property}  ${r.file}: ${r.why} (kept; delete the file if the case no longer matters)`);
  }
  return lines;
}
