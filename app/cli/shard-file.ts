/**
 * `reports/shards/<scenario>-<seed>-<i>-of-<n>.json`: what one CI shard of `hbsim check --shard
 * i/n` found, for `hbsim merge` to combine into the verdict of an unsharded run.
 */
import { readFileSync } from 'node:fs';
import { HbsimConfigError } from '../../src/errors.js';
import type { ShardResult } from '../../properties/check.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/types.js';

export const SHARD_FORMAT = 1;

export interface ShardFile extends ShardResult {
  readonly hbsimShard: typeof SHARD_FORMAT;
  readonly file: string;
  readonly profile?: string;
}

/** `--shard i/n`. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new HbsimConfigError('--shard', value, 'i/n with 1 <= i <= n, e.g. 2/4');
  return { index, count };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readShardFile(path: string): ShardFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HbsimConfigError('shard file', path, 'a complete reports/shards/*.json written by hbsim check --shard', `cannot be read (${(error as Error).message})`);
  }
  return parseShardFile(path, data);
}

/** Validate the parsed content of the shard file at `path`. */
export function parseShardFile(path: string, data: unknown): ShardFile {
  const bad = (field: string, value: unknown, expected: string): never => {
    throw new HbsimConfigError(`${path}: ${field}`, value, expected);
  };
  if (!isObject(data)) return bad('(top level)', data, 'an object written by hbsim check --shard');
  if (data['hbsimShard'] !== SHARD_FORMAT) bad('hbsimShard', data['hbsimShard'], `shard format ${SHARD_FORMAT} (written by an incompatible hbsim: re-run the shards)`);
  for (const f of ['seed', 'runs', 'maxFaults', 'simulated'] as const) if (!Number.isInteger(data[f])) bad(f, data[f], 'an integer');
  if (typeof data['file'] !== 'string' || typeof data['scenario'] !== 'string') bad('file', data['file'], 'the scenario file and name');
  const shard = data['shard'];
  if (!isObject(shard) || !Number.isInteger(shard['index']) || !Number.isInteger(shard['count'])) bad('shard', shard, '{ index, count }');
  const props = data['properties'];
  if (!Array.isArray(props) || props.some((p) => !(PROPERTY_NAMES as readonly unknown[]).includes(p))) bad('properties', props, `a list of ${PROPERTY_NAMES.join(', ')}`);
  const ff = data['firstFailing'];
  if (!isObject(ff)) return bad('firstFailing', ff, 'an object of property -> case index or null');
  for (const p of PROPERTY_NAMES) {
    const v = ff[p];
    if (v !== null && !(Number.isInteger(v) && (v as number) >= 0)) bad(`firstFailing.${p}`, v, 'a case index or null');
  }
  return data as unknown as ShardFile;
}

/** Check that `shards` are the n shards of one check, and combine their first failures. */
export function mergeShards(shards: readonly ShardFile[]): { first: ShardFile; firstFailing: Map<PropertyName, number | null>; simulated: number } {
  const first = shards[0];
  if (first === undefined) throw new HbsimConfigError('merge', [], 'at least one shard file');
  const count = first.shard.count;
  const seen = new Set<number>();
  for (const s of shards) {
    for (const f of ['scenario', 'file', 'seed', 'runs', 'maxFaults'] as const) {
      if (s[f] !== first[f]) throw new HbsimConfigError(`shard ${s.shard.index}/${s.shard.count}: ${f}`, s[f], `${JSON.stringify(first[f])}, as in the other shards (all from one hbsim check)`);
    }
    if (JSON.stringify(s.properties) !== JSON.stringify(first.properties)) throw new HbsimConfigError(`shard ${s.shard.index}/${s.shard.count}: properties`, s.properties, `${JSON.stringify(first.properties)}, as in the other shards (the same --property flags)`);
    if (s.shard.count !== count) throw new HbsimConfigError('shard count', s.shard.count, `${count} in every shard`);
    if (seen.has(s.shard.index)) throw new HbsimConfigError('shard', `${s.shard.index}/${count}`, 'each shard once');
    seen.add(s.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new HbsimConfigError('shards', `${seen.size} of ${count}`, `all ${count} shards (missing ${missing.map((i) => `${i}/${count}`).join(', ')})`);
  const firstFailing = new Map<PropertyName, number | null>();
  for (const p of PROPERTY_NAMES) {
    const indices = shards.map((s) => s.firstFailing[p]).filter((v): v is number => v !== null);
    firstFailing.set(p, indices.length === 0 ? null : Math.min(...indices));
  }
  return { first, firstFailing, simulated: shards.reduce((n, s) => n + s.simulated, 0) };
}
