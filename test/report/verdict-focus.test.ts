/**
 * The report shows what the verdict names, not everything that looks like it: only the
 * duplicated add and its first application are highlighted (in the lanes and in the text
 * timeline), and "redoing a key" marks the effects that redo a record, where they are, not every
 * add to a total.
 */
import { describe, expect, test } from 'vitest';
import broken from '../../examples/broken/add-without-idempotency-key.js';
import { normalizeScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { idempotent } from '../../properties/checkers/idempotent.js';
import { rewriteFlags } from '../../app/report/rewrites.js';
import { buildLaneModel } from '../../app/report/lane-model.js';
import { renderTextTimeline } from '../../app/report/text-timeline.js';
import { renderTimelineHtml } from '../../app/report/timeline-html.js';

async function crashedRun() {
  const reference = await simulate(broken, { seed: 11 });
  const run = await simulate(broken, { seed: 11, crashes: ['800ms'] });
  const violation = idempotent.check({ scenario: normalizeScenario(broken), reference, run, plan: run.faults })!;
  return { run, violation };
}

describe('the report focuses on what the verdict names', () => {
  test('the run: attempt 2 resumes part way and redoes some records (real data for the other tests)', async () => {
    const { run, violation } = await crashedRun();
    expect(run.attempts.map((a) => a.how)).toEqual(['crashed', 'completed']);
    expect(violation.property).toBe('idempotent');
    expect(violation.keys).toHaveLength(1);
    expect(violation.times).toHaveLength(2);
    const second = run.trace.filter((e) => e.type === 'effect' && e.attempt === 2).length;
    expect(run.counts.recordsRedone).toBeGreaterThan(0);
    expect(run.counts.recordsRedone).toBeLessThan(second);
  });

  test('"redoing a key": as many effects as counts.recordsRedone, none in attempt 1, only the first effects of attempt 2', async () => {
    const { run } = await crashedRun();
    const flags = rewriteFlags(run.trace);
    expect(flags.reduce((s, f) => s + f, 0)).toBe(run.counts.recordsRedone);
    const effects = run.trace.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'effect');
    expect(effects.filter(({ e, i }) => e.type === 'effect' && e.attempt === 1 && flags[i] === 1)).toEqual([]);
    const attempt2 = effects.filter(({ e }) => e.type === 'effect' && e.attempt === 2).map(({ i }) => flags[i]);
    const redone = run.counts.recordsRedone;
    expect(attempt2.slice(0, redone).every((f) => f === 1)).toBe(true);
    expect(attempt2.slice(redone).every((f) => f === 0)).toBe(true);
    // In the lanes, the orange strip covers only the bins of those effects.
    const model = buildLaneModel(run, { bins: 320 });
    const lane2 = model.lanes[1]!;
    const bins = (pick: (total: number, redone: number) => boolean): number[] => [...lane2.effects.total.keys()].filter((b) => pick(lane2.effects.total[b]!, lane2.effects.rewrites[b]!));
    const redoneBins = bins((_, re) => re > 0);
    const freshBins = bins((total, re) => total > re);
    expect(redoneBins.length).toBeGreaterThan(0);
    expect(Math.max(...redoneBins)).toBeLessThanOrEqual(Math.min(...freshBins));
    expect(freshBins.filter((b) => b > Math.max(...redoneBins)).length).toBeGreaterThan(redoneBins.length / 2);
    expect([...model.lanes[0]!.effects.rewrites].every((n) => n === 0)).toBe(true);
  });

  test('only the duplicated add and its first application are highlighted, in the lanes and in the text timeline', async () => {
    const { run, violation } = await crashedRun();
    const highlight = { keys: violation.keys!, times: violation.times! };
    const model = buildLaneModel(run, { bins: 320, ...highlight });
    expect(model.lanes.flatMap((l) => l.highlighted.map((h) => [l.attempt, h.key, h.t]))).toEqual([
      [1, violation.keys![0], violation.times![0]],
      [2, violation.keys![0], violation.times![1]],
    ]);
    const onKey = run.trace.filter((e) => e.type === 'effect' && e.key === violation.keys![0]).length;
    expect(onKey).toBeGreaterThan(4);
    const text = renderTextTimeline(run.trace, rewriteFlags(run.trace), highlight);
    expect(text.html.match(/class="[^"]*\bhl\b/g)).toHaveLength(2);
    const html = renderTimelineHtml({ title: 't', result: run, highlight });
    const lanes = html.slice(html.indexOf('<svg class="lanes"'), html.indexOf('</svg>', html.indexOf('<svg class="lanes"')));
    expect(lanes.match(/class="hl-fx"/g)).toHaveLength(2);
  });

  test('without keys, the events at the named times are highlighted (e.g. the stores of a progress that went back)', async () => {
    const { run } = await crashedRun();
    const stores = run.trace.filter((e) => e.type === 'detailsStored').map((e) => e.t);
    const text = renderTextTimeline(run.trace, rewriteFlags(run.trace), { times: [stores[0]!] });
    expect((text.html.match(/class="[^"]*\bhl\b/g) ?? []).length).toBeGreaterThanOrEqual(1);
    expect(text.html).toMatch(/class="ev-detailsStored hl"/);
  });
});
