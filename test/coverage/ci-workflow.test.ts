/**
 * examples/ci/hbsim.yml: it parses as YAML, has the shard matrix, the merge and the artifact
 * uploads, and every `npx hbsim ...` command in it is a command of this CLI with flags it has
 * (checked against the commander program itself, so a renamed flag fails this test).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../app/cli/main.js';

interface Step { readonly run?: string; readonly uses?: string; readonly with?: Record<string, unknown>; readonly if?: string }
interface Job { readonly needs?: string; readonly strategy?: { readonly matrix?: { readonly shard?: number[] } }; readonly steps: Step[] }
interface Workflow { readonly jobs: Record<string, Job>; readonly env?: Record<string, unknown> }

const workflow = parse(readFileSync(new URL('../../examples/ci/hbsim.yml', import.meta.url), 'utf8')) as Workflow;
const program = buildProgram(() => {}, () => {});

/** Every `npx hbsim` command line of the workflow, as argv (quotes and `${{ }}` taken as one word). */
function hbsimCommands(wf: Workflow): string[][] {
  const out: string[][] = [];
  for (const job of Object.values(wf.jobs)) {
    for (const step of job.steps) {
      for (const line of (step.run ?? '').split('\n')) {
        const m = /^\s*npx hbsim (.*)$/.exec(line);
        if (m) out.push(m[1]!.match(/"[^"]*"|\$\{\{[^}]*\}\}[^\s]*|\S+/g)!);
      }
    }
  }
  return out;
}

/** Problems with one command line: unknown command, unknown flags. */
function problems(argv: readonly string[]): string[] {
  const command = program.commands.find((c: Command) => c.name() === argv[0]);
  if (command === undefined) return [`unknown command ${argv[0]}`];
  const flags = new Set(command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)));
  return argv.slice(1).filter((a) => a.startsWith('--') && !flags.has(a)).map((a) => `${argv[0]}: unknown flag ${a}`);
}

describe('examples/ci/hbsim.yml', () => {
  test('a shard matrix, a merge that needs it, the reports and the corpus uploaded', () => {
    const shards = workflow.jobs['check']!.strategy!.matrix!.shard!;
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(workflow.jobs['merge']!.needs).toBe('check');
    const commands = hbsimCommands(workflow);
    const check = commands.find((c) => c[0] === 'check' && c.includes('--shard'))!;
    expect(check[check.indexOf('--shard') + 1]).toBe(`\${{ matrix.shard }}/${shards.length}`);
    expect(commands.some((c) => c[0] === 'merge')).toBe(true);
    expect(commands.some((c) => c[0] === 'check' && c.includes('--exhaustive'))).toBe(true);
    const uploaded = workflow.jobs['merge']!.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact')).map((s) => String(s.with?.['path']));
    expect(uploaded.join('\n')).toMatch(/reports\/failures\//);
    expect(uploaded.join('\n')).toMatch(/reports\/coverage\//);
    expect(uploaded.join('\n')).toMatch(/reports\/corpus\//);
    const download = workflow.jobs['merge']!.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with?.['path']).toBe('reports/shards/');
  });

  test('every hbsim command and flag in it exists in the CLI', () => {
    const commands = hbsimCommands(workflow);
    expect(commands.length).toBeGreaterThanOrEqual(3);
    expect(commands.flatMap(problems)).toEqual([]);
  });

  test('the check can fail: a renamed flag or an unknown command is found', () => {
    expect(problems(['check', 'x.ts', '--shards', '1/4'])).toEqual(['check: unknown flag --shards']);
    expect(problems(['combine', 'a.json'])).toEqual(['unknown command combine']);
    const edited = parse(readFileSync(new URL('../../examples/ci/hbsim.yml', import.meta.url), 'utf8').replace('--junit reports/junit/hbsim.xml', '--junit-file x')) as Workflow;
    expect(hbsimCommands(edited).flatMap(problems)).toEqual(['merge: unknown flag --junit-file']);
  });
});
