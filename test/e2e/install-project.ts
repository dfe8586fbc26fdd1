/**
 * A fresh project of a user's, made in a temporary folder, into which the packed hbsim tarball is
 * installed with npm, offline, from the npm cache that `npm ci` filled (the install test).
 *
 * Why a lockfile: npm 11's `npm install <new package>` asks the registry for full metadata
 * documents, while `npm ci` (from hbsim's lockfile, which has no `resolved` URLs) only fetched
 * the abbreviated ones, so `npm install --offline` of new packages fails with ENOTCACHED on a
 * cache that only `npm ci` filled. The project therefore gets a package-lock.json holding, for
 * every package the project needs, the exact version and integrity of hbsim's own lockfile (the
 * versions hbsim's suite ran with); `npm install --offline` then resolves everything from the
 * cache. The tarball is an entry like any other, with its own integrity.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

interface Lockfile {
  name: string;
  lockfileVersion: number;
  requires: boolean;
  packages: Record<string, LockEntry>;
}

/** Where Node would find `name` required from the package at `from` (a lockfile key; '' the root). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[key] !== undefined) return key;
    if (dir === '') return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at < 0 ? '' : dir.slice(0, at);
  }
}

/**
 * The lockfile of a project whose devDependencies are `devDependencies` (hbsim from `tarball`,
 * the rest by exact version): the entries hbsim's own lockfile has for them and all they need.
 */
export function projectLockfile(repo: string, tarball: string, devDependencies: Record<string, string>): Lockfile {
  const own = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const hbsim: LockEntry = {
    version: pkg['version'] as string,
    resolved: `file:${basename(tarball)}`,
    integrity,
    license: pkg['license'],
    dependencies: pkg['dependencies'] as Record<string, string>,
    bin: pkg['bin'],
    engines: pkg['engines'],
    peerDependencies: pkg['peerDependencies'] as Record<string, string>,
    peerDependenciesMeta: pkg['peerDependenciesMeta'] as Record<string, { optional?: boolean }>,
  };
  const source: Record<string, LockEntry> = { ...own.packages, 'node_modules/hbsim': hbsim };
  const packages: Record<string, LockEntry> = { '': { name: 'my-activities', devDependencies } };
  const todo: string[] = [];
  const need = (from: string, name: string, optional: boolean): void => {
    const key = resolveIn(source, from, name);
    if (key === undefined) {
      if (optional) return;
      throw new Error(`install test: ${name} (needed by ${from || 'the project'}) is not in hbsim's package-lock.json`);
    }
    if (packages[key] !== undefined) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = source[key]!;
    packages[key] = { ...entry, dev: true };
    todo.push(key);
  };
  for (const name of Object.keys(devDependencies)) need('', name, false);
  while (todo.length > 0) {
    const key = todo.pop()!;
    const e = packages[key]!;
    for (const name of Object.keys(e.dependencies ?? {})) need(key, name, false);
    for (const name of Object.keys(e.optionalDependencies ?? {})) need(key, name, true);
    // Optional peers (hbsim's @temporalio/activity) are there only if the project asks for them.
    for (const name of Object.keys(e.peerDependencies ?? {})) if (e.peerDependenciesMeta?.[name]?.optional !== true) need(key, name, false);
  }
  return { name: 'my-activities', lockfileVersion: 3, requires: true, packages };
}

/** The environment of the commands run in the project: npm's settings of the outer `npm test` removed. */
export function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_(package|lifecycle)_|^INIT_CWD$|^VITEST|^NODE_OPTIONS$/.test(k)) env[k] = v;
  // `npm test` puts hbsim's own node_modules/.bin first on PATH: the project uses its own.
  env['PATH'] = (env['PATH'] ?? '').split(':').filter((d) => !d.endsWith('node_modules/.bin')).join(':');
  return { ...env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
}

/** A command in `dir`: its exit code and output. */
export function run(dir: string, command: string, args: readonly string[], node?: string): { status: number; stdout: string; stderr: string } {
  const env = projectEnv();
  // Another Node first on PATH: `npx`, `npm` and the bin scripts' `#!/usr/bin/env node` use it.
  if (node !== undefined) env['PATH'] = `${join(node, '..')}:${env['PATH'] ?? ''}`;
  const r = spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', timeout: 240_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `npm pack` as a fresh clone would run it (its `prepack` script builds dist/), in a copy of the
 * checkout's sources (so the checkout's own dist/, which other tests run, is left alone).
 * Returns the tarball's path in `into`.
 */
export function packCopy(repo: string, work: string, into: string): string {
  const copy = join(work, 'hbsim-checkout');
  mkdirSync(copy, { recursive: true });
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter((f) => f !== '' && f !== 'node_modules' && !f.startsWith('node_modules/'));
  for (const f of files) {
    try {
      cpSync(join(repo, f), join(copy, f));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted, not yet committed
    }
  }
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const r = run(copy, 'npm', ['pack', '--pack-destination', into]);
  if (r.status !== 0) throw new Error(`npm pack failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const tarball = readdirSync(into).find((f) => /^hbsim-.*\.tgz$/.test(f));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball:\n${r.stdout}`);
  return join(into, tarball);
}

/** Write the project's package.json and package-lock.json, and `npm install --offline`. */
export function installProject(dir: string, repo: string, tarball: string, devDependencies: Record<string, string>): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-activities', private: true, type: 'module', devDependencies }, null, 2) + '\n');
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(projectLockfile(repo, tarball, devDependencies), null, 2) + '\n');
  const r = run(dir, 'npm', ['install', '--offline']);
  if (r.status !== 0) throw new Error(`npm install --offline failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** The devDependencies of the project: hbsim's tarball, and the versions hbsim's own lockfile holds. */
export function projectDevDependencies(repo: string, tarball: string, names: readonly string[]): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile;
  const deps: Record<string, string> = { hbsim: `file:${basename(tarball)}` };
  for (const name of names) deps[name] = lock.packages[`node_modules/${name}`]!.version!;
  return deps;
}
