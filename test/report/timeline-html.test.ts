/**
 * The HTML timeline of one run, built from real simulations: escaping, no external resource,
 * one lane per attempt, highlighted keys drawn, large traces kept small, deterministic bytes.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario } from '../../src/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { escapeHtml } from '../../app/report/escape.js';
import { renderTimelineHtml, type TimelineReport } from '../../app/report/timeline-html.js';
import { renderTextTimeline, EFFECT_LINES } from '../../app/report/text-timeline.js';
import { rewriteFlags } from '../../app/report/rewrites.js';
import { shortTime, ticks } from '../../app/report/time-axis.js';
import type { SimulationResult } from '../../sim/simulation.js';

const EVIL = '<script>alert("x")</script>';

/** A small batch job: a put per record, a heartbeat every 500 ms, resumes from the stored offset. */
function batch(records: number, extraKey?: string) {
  return defineScenario({
    name: 'report-batch',
    api: 'native',
    records,
    params: {},
    options: { startToCloseTimeout: '10m', heartbeatTimeout: '3s', retry: { initialInterval: '1s', maximumAttempts: 5 } },
    activity: (world) => async (ctx) => {
      const state = { offset: 0 };
      if (ctx.hasHeartbeatDetails()) Object.assign(state, ctx.heartbeatDetails<{ offset: number }>());
      const ticker = setInterval(() => ctx.heartbeat({ ...state }), 500);
      try {
        while (state.offset < world.source.size) {
          const page = await world.source.read(state.offset, 50);
          for (const record of page) {
            await world.sink.put(`rec/${record.key}`, record.amount);
            if (extraKey !== undefined && record.offset % 25 === 10) await world.sink.put(extraKey, record.offset);
            state.offset = record.offset + 1;
          }
        }
        return { done: state.offset };
      } finally {
        clearInterval(ticker);
      }
    },
  });
}

async function smallRun(): Promise<SimulationResult> {
  return simulate(batch(300, EVIL), { seed: 5, faults: [{ kind: 'crash', at: 1_200 }] });
}

function report(result: SimulationResult, extra: Partial<TimelineReport> = {}): TimelineReport {
  return {
    title: `report-batch: idempotent ${EVIL} (seed 5)`,
    result,
    verdict: { property: 'idempotent', summary: 'violated: a key was written twice <b>', details: [`key ${EVIL} written by attempts 1 and 2`] },
    replay: `npx hbsim replay t.ts --seed 5 --faults '[{"kind":"crash","at":1200}]'`,
    highlight: { keys: [EVIL], times: [1_200] },
    ...extra,
  };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The lanes figure alone (the legend repeats some classes). */
function lanesOf(html: string): string {
  const start = html.indexOf('<svg class="lanes"');
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</svg>', start));
}

describe('renderTimelineHtml', () => {
  test('the run used crashes once and retries (real data for the other tests)', async () => {
    const r = await smallRun();
    expect(r.attempts.map((a) => a.how)).toEqual(['crashed', 'completed']);
    expect(r.trace.some((e) => e.type === 'effect' && e.key === EVIL)).toBe(true);
  });

  test('escapes everything user-provided: keys, titles, verdict, details', async () => {
    const html = renderTimelineHtml(report(await smallRun()));
    expect(html).not.toContain(EVIL);
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('violated: a key was written twice &lt;b&gt;');
    // The only script element is the page's own filter script.
    expect(count(html, '<script')).toBe(1);
    expect(count(html, '</script>')).toBe(1);
  });

  test('references no external resource', async () => {
    const html = renderTimelineHtml(report(await smallRun()));
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import/i);
    // url(...) only for in-page patterns.
    expect(html.match(/url\((?!#)/g)).toBeNull();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  test('draws one lane per attempt, labelled with its worker and how it ended', async () => {
    const r = await smallRun();
    const html = renderTimelineHtml(report(r));
    for (const a of r.attempts) {
      expect(html).toContain(`id="lane-${a.attempt}"`);
      expect(html).toContain(`>attempt ${a.attempt}</text>`);
      expect(html).toContain(`>${a.worker} · `);
    }
    expect(html).toMatch(/class="lbl-how t-bad"[^>]*>crashed at /);
    expect(html).toMatch(/class="lbl-how t-ok"[^>]*>completed at /);
    expect(count(html, 'class="lane"')).toBe(r.attempts.length);
    // The crash, the stored details (with their text in the title), the outcome.
    expect(html).toContain('class="k-crash"');
    expect(html).toContain('class="k-stored"');
    expect(html).toMatch(/server stored details of attempt 1:\n\{&quot;offset&quot;:\d+\}/);
    expect(html).toContain('completed (attempt 2)');
    expect(html).toContain('<ul class="legend">');
  });

  test('draws each effect on a highlighted key individually, labelled', async () => {
    const r = await smallRun();
    const html = renderTimelineHtml(report(r));
    const effects = r.trace.filter((e) => e.type === 'effect' && e.key === EVIL).length;
    expect(count(lanesOf(html), 'class="hl-fx"')).toBe(effects);
    expect(html).toContain(`class="lbl-key" x=`);
    expect(html).toMatch(/class="lbl-key"[^>]*>&lt;script&gt;/);
    // In the text timeline too, as highlighted lines; and the highlighted time is marked.
    expect(count(html, 'class="ev-effect hl')).toBe(effects);
    expect(html).toContain('highlighted time 00:00:01.200');
  });

  test('lists the fault plan, the replay command, the verdict and the counts', async () => {
    const r = await smallRun();
    const html = renderTimelineHtml(report(r));
    expect(html).toContain('<li>crash at 00:00:01.200</li>');
    expect(html).toContain('<code class="replay">npx hbsim replay t.ts --seed 5 --faults &#39;[{&quot;kind&quot;:&quot;crash&quot;,&quot;at&quot;:1200}]&#39;</code>');
    expect(html).toContain('<span class="prop">idempotent</span>');
    expect(html).toContain(`<td>sink effects</td><td class="num">${r.counts.effects}</td>`);
    const bare = renderTimelineHtml({ title: 't', result: r });
    expect(bare).toContain('No verdict attached');
    expect(bare).not.toContain('class="replay"');
  });

  test('is readable without JS: lanes and every text line are in the markup, the filter is hidden until the script runs', async () => {
    const r = await smallRun();
    const html = renderTimelineHtml(report(r));
    expect(html).toContain('<svg class="lanes"');
    expect(html).toContain('<div id="tl-filter" class="filter" hidden>');
    // Over EFFECT_LINES effects: runs of effects collapse, highlighted ones stay.
    expect(r.counts.effects).toBeGreaterThan(EFFECT_LINES);
    expect(html).toMatch(/class="bulk"[^>]*>[^<]*attempt 1: \d+ sink effects \(rec\//);
    expect(html).toContain('CRASH worker worker-1#1 (running attempt 1)');
  });

  test('is deterministic: two runs of the same scenario render the same bytes', async () => {
    const a = renderTimelineHtml(report(await smallRun()));
    const b = renderTimelineHtml(report(await smallRun()));
    expect(a).toBe(b);
  });

  test('stays small for 100k+ sink effects (density strips, collapsed text)', async () => {
    const r = await simulate(batch(100_000), { seed: 1, faults: [{ kind: 'crash', at: 20_000 }] });
    expect(r.counts.effects).toBeGreaterThan(100_000);
    const key = 'rec/rec-000042';
    const html = renderTimelineHtml({ title: 'big', result: r, highlight: { keys: [key] } });
    expect(html.length).toBeLessThan(1_000_000);
    const effects = r.trace.filter((e) => e.type === 'effect' && e.key === key).length;
    expect(effects).toBeGreaterThan(0);
    expect(count(lanesOf(html), 'class="hl-fx"')).toBe(effects);
    expect(count(html.slice(html.indexOf('<ol id="tl-lines"')), `sink.put(${key},`)).toBe(effects);
    // Effects as density strips, not one mark each; the text timeline collapsed.
    expect(count(html, '<li id=')).toBeLessThan(5_000);
  }, 120_000);
});

describe('text timeline', () => {
  test('keeps every effect as a line when there are at most EFFECT_LINES', async () => {
    const r = await simulate(batch(60), { seed: 2 });
    expect(r.counts.effects).toBeLessThanOrEqual(EFFECT_LINES);
    const t = renderTextTimeline(r.trace, rewriteFlags(r.trace), {});
    expect(t.lines).toBe(r.trace.length);
    expect(t.anchorOf(0)).toBe('l0');
  });

  test('maps every event of a collapsed run to its summary line', async () => {
    const r = await smallRun();
    const t = renderTextTimeline(r.trace, rewriteFlags(r.trace), {});
    expect(t.lines).toBeLessThan(r.trace.length);
    for (let i = 0; i < r.trace.length; i++) expect(t.anchorOf(i)).toMatch(/^l\d+$/);
    const redone = rewriteFlags(r.trace).reduce((s, f) => s + f, 0);
    expect(redone).toBe(r.counts.recordsRedone);
  });
});

describe('helpers', () => {
  test('escapeHtml escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test('time axis ticks and labels', () => {
    expect(ticks(68_258, 12)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    expect(shortTime(0)).toBe('0');
    expect(shortTime(250)).toBe('250ms');
    expect(shortTime(12_500)).toBe('12.5s');
    expect(shortTime(150_000)).toBe('2m 30s');
    expect(shortTime(3_900_000)).toBe('1h 5m');
  });
});
