/**
 * The benchmark's charts, as SVG rendered headless with vega-lite (no browser, no canvas):
 * completion time against the swept parameter (mean, the 5th-95th percentile band, the model's
 * mean), and heartbeats sent and reaching the server (simulated and modelled).
 *
 * vega and vega-lite are loaded on first use only (they are large).
 */
import type { TopLevelSpec } from 'vega-lite';
import { parseDuration } from '../../src/duration.js';
import type { ParamValue } from './params.js';
import type { BenchResult } from './runner.js';

/** How the swept values go on the x axis. */
interface Axis {
  readonly title: string;
  readonly type: 'quantitative' | 'ordinal';
  readonly scale?: Record<string, unknown>;
  readonly values: readonly (number | string)[];
}

function durationMs(v: ParamValue): number | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return parseDuration(v, 'x');
  } catch {
    return undefined;
  }
}

/** Numbers as numbers, durations in seconds, anything else as labels in the order given. */
function axisOf(result: BenchResult): Axis {
  if (result.sweep === null) return { title: 'point', type: 'ordinal', values: result.points.map(() => 'all runs') };
  const { key, values } = result.sweep;
  let numbers: number[] | undefined;
  let title = key;
  if (values.every((v) => typeof v === 'number')) numbers = values as number[];
  else if (values.every((v) => durationMs(v) !== undefined)) {
    numbers = values.map((v) => durationMs(v)! / 1000);
    title = `${key} (s)`;
  }
  if (numbers === undefined || numbers.length < 2) return { title, type: 'ordinal', values: values.map(String) };
  const positive = numbers.every((x) => x > 0);
  const spread = positive ? Math.max(...numbers) / Math.min(...numbers) : 0;
  const domain = [Math.min(...numbers), Math.max(...numbers)];
  return { title, type: 'quantitative', scale: spread >= 10 ? { type: 'log', domain, nice: false } : { domain, nice: false, zero: false }, values: numbers };
}

const seconds = (ms: number | null): number | null => (ms === null || !Number.isFinite(ms) ? null : ms / 1000);

function xEncoding(axis: Axis): Record<string, unknown> {
  return {
    field: 'x',
    type: axis.type,
    title: axis.title,
    ...(axis.scale ? { scale: axis.scale } : {}),
    ...(axis.type === 'ordinal' ? { sort: null } : { axis: { values: axis.values } }),
  };
}

/**
 * One legend for colour and dash (vega-lite merges them when they share the field, scale domain
 * and title), listing only the series that have data (no "model" entry when no model applies).
 */
function seriesEncoding(title: string, all: readonly { readonly name: string; readonly color: string; readonly dash: readonly number[] }[], values: readonly { readonly series: string }[]): Record<string, unknown> {
  const present = new Set(values.map((v) => v.series));
  const shown = all.filter((s) => present.has(s.name));
  const domain = shown.map((s) => s.name);
  const colors = shown.map((s) => s.color);
  const dashes = shown.map((s) => s.dash);
  return {
    color: { field: 'series', type: 'nominal', title, scale: { domain, range: colors }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, titleLimit: 400, labelLimit: 400 } },
    strokeDash: { field: 'series', type: 'nominal', title, scale: { domain, range: dashes } },
  };
}

const SOLID = [1, 0];
const DASHED = [6, 4];

/** The completion-time chart's vega-lite spec. */
export function completionTimeSpec(result: BenchResult): TopLevelSpec {
  const axis = axisOf(result);
  const band = result.points.map((p, i) => ({ x: axis.values[i], lo: seconds(p.completionTime.p5), hi: seconds(p.completionTime.p95) }));
  const lines = result.points.flatMap((p, i) => [
    { x: axis.values[i], series: 'simulation', y: seconds(p.completionTime.mean) },
    ...(p.model.applicable ? [{ x: axis.values[i], series: 'model', y: seconds(p.model.completionTime.mean) }] : []),
  ]);
  const x = xEncoding(axis);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${result.scenario}: completion time`, subtitle: subtitle(result), anchor: 'start' },
    width: 560,
    height: 280,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.2, color: '#1f77b4' },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'completion time (s)' }, y2: { field: 'hi' } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative', title: 'completion time (s)', scale: { zero: false } },
          ...seriesEncoding('mean completion time', [{ name: 'simulation', color: '#1f77b4', dash: SOLID }, { name: 'model', color: '#d62728', dash: DASHED }], lines),
        },
      },
    ],
  } as TopLevelSpec;
}

/** The heartbeats chart's vega-lite spec. */
export function heartbeatsSpec(result: BenchResult): TopLevelSpec {
  const axis = axisOf(result);
  const values = result.points.flatMap((p, i) => [
    { x: axis.values[i], series: 'calls (simulation)', y: p.heartbeatCalls.mean },
    { x: axis.values[i], series: 'sent (simulation)', y: p.heartbeatsSent.mean },
    ...(p.model.applicable
      ? [
          { x: axis.values[i], series: 'calls (model)', y: p.model.heartbeatCalls.mean },
          { x: axis.values[i], series: 'sent (model)', y: p.model.heartbeatsSent.mean },
        ]
      : []),
  ]);
  const ys = values.map((v) => v.y).filter((y) => y > 0);
  const logY = ys.length > 0 && Math.max(...ys) / Math.min(...ys) >= 20;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${result.scenario}: heartbeats per run`, subtitle: subtitle(result, false), anchor: 'start' },
    width: 560,
    height: 280,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: xEncoding(axis),
      y: { field: 'y', type: 'quantitative', title: 'heartbeats per run (mean)', scale: logY ? { type: 'log' } : { zero: true } },
      ...seriesEncoding('per run', [
        { name: 'calls (simulation)', color: '#9467bd', dash: SOLID },
        { name: 'calls (model)', color: '#c5b0d5', dash: DASHED },
        { name: 'sent (simulation)', color: '#2ca02c', dash: SOLID },
        { name: 'sent (model)', color: '#98df8a', dash: DASHED },
      ], values),
    },
  } as TopLevelSpec;
}

function subtitle(result: BenchResult, band = true): string[] {
  const crashes = result.mtbfMs > 0 ? `worker crashes every ${result.mtbfMs / 1000} s on average` : 'no crashes';
  return [`${result.runs} runs per point, ${crashes}, seed ${result.seed}`, ...(band ? ['band: 5th to 95th percentile of the simulation'] : [])];
}

/** Render a vega-lite spec to an SVG document, headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const quiet = { level: () => quiet, info: () => quiet, debug: () => quiet, warn: () => quiet, error: (...args: readonly unknown[]) => { throw new Error(`vega-lite: ${args.map(String).join(' ')}`); } };
  const compiled = vegaLite.compile(spec, { logger: quiet as unknown as NonNullable<Parameters<typeof vegaLite.compile>[1]>['logger'] }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The charts of a benchmark: file name to SVG. */
export async function renderCharts(result: BenchResult): Promise<Record<string, string>> {
  return {
    'completion-time.svg': await renderSvg(completionTimeSpec(result)),
    'heartbeats-sent.svg': await renderSvg(heartbeatsSpec(result)),
  };
}
