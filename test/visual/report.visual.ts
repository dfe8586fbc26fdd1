/**
 * `npm run test:visual`: the timeline pages and the bench charts rendered in a real headless
 * Chromium (Debian's `chromium`; `CHROMIUM=/path` to use another), looked at with the real fonts:
 * every label inside its lane and column, every legend entry a series that is drawn, the zoom
 * and the per-attempt fit work. Screenshots go to reports/visual/ (CI keeps them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderSamples } from '../report/render-samples.js';
import { renderCharts } from '../../app/bench/charts.js';
import { runBench, type BenchResult } from '../../app/bench/runner.js';
import { parseParam, parseSweep } from '../../app/bench/params.js';
import reference from '../../examples/batch-statements.js';

const OUT = join('reports', 'visual');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 60_000);
afterAll(async () => browser?.close());

async function open(name: string, html: string): Promise<Page> {
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.goto(`file://${process.cwd()}/${file}`);
  return page;
}

/** What a person would find wrong with the lanes figure, measured in the browser. */
function lanesProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const svg = document.querySelector('svg.lanes') as SVGSVGElement;
    const x0 = Number(svg.dataset['x0']);
    const width = svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      if ((t as SVGTextElement).style.display === 'none') continue;
      const b = (t as SVGTextElement).getBBox();
      const text = t.textContent ?? '';
      if (b.x < -0.5 || b.x + b.width > width + 0.5) problems.push(`"${text}" runs out of the figure (x ${b.x.toFixed(0)}-${(b.x + b.width).toFixed(0)})`);
      if (Number(t.getAttribute('x')) === 10 && b.x + b.width > x0 - 2) problems.push(`"${text}" overflows the label column (ends at ${(b.x + b.width).toFixed(0)}, plot at ${x0})`);
      const lane = t.closest('g.lane');
      if (lane !== null) {
        const bg = lane.querySelector('rect') as SVGRectElement;
        const top = bg.y.baseVal.value;
        const bottom = top + bg.height.baseVal.value;
        if (b.y < top - 0.5 || b.y + b.height > bottom + 0.5) problems.push(`"${text}" overflows the lane ${lane.id} (y ${b.y.toFixed(0)}-${(b.y + b.height).toFixed(0)} of ${top}-${bottom})`);
      }
    }
    // The legend: each entry's swatch classes are drawn, visibly, in the figure.
    for (const li of document.querySelectorAll('ul.legend li')) {
      const classes = [...li.querySelectorAll('svg.sw [class]')].flatMap((e) => [...e.classList]).filter((c) => !c.startsWith('t-') && c !== 'hl-dot' && c !== 'hl-time-head');
      const drawn = classes.some((c) => [...svg.querySelectorAll(`.${c}`)].some((e) => {
        const b = (e as SVGGraphicsElement).getBBox();
        return b.width > 0 || b.height > 0;
      }));
      if (!drawn) problems.push(`legend entry "${li.textContent}" (${classes.join(' ')}) is not drawn`);
    }
    return problems;
  });
}

describe('timeline pages in Chromium', () => {
  test('no label overflows, the legend lists only drawn series, and the fit and zoom work', async () => {
    for (const [name, html] of await renderSamples()) {
      const page = await open(name, html);
      await page.screenshot({ path: join(OUT, `${name}.png`), timeout: 90_000 });
      expect({ name, problems: await lanesProblems(page) }).toEqual({ name, problems: [] });
      // Fit attempt 1: click its name; its bar then spans most of the plot.
      const plot = await page.evaluate(() => {
        const svg = document.querySelector('svg.lanes') as SVGSVGElement;
        return { x0: Number(svg.dataset['x0']), x1: Number(svg.dataset['x1']) };
      });
      await page.click('#lane-1 text.lbl-lane');
      const bar = await page.evaluate(() => {
        const rect = document.querySelector('#lane-1 rect.bar') as SVGRectElement;
        const b = rect.getBBox();
        const m = rect.transform.baseVal.consolidate()?.matrix;
        const x = m ? m.a * b.x + m.e : b.x;
        return { x, w: m ? m.a * b.width : b.width, status: document.querySelector('.zoom-status')?.textContent ?? '' };
      });
      expect(bar.w).toBeGreaterThan((plot.x1 - plot.x0) * 0.85);
      expect(bar.x).toBeGreaterThanOrEqual(plot.x0 - 1);
      expect(bar.status).toMatch(/^showing /);
      expect({ name, fitted: await lanesProblems(page) }).toEqual({ name, fitted: [] });
      await page.screenshot({ path: join(OUT, `${name}-fit-attempt-1.png`), timeout: 90_000 });
      // Brush: drag across the middle of the plot, then the whole run again.
      const box = (await page.locator('svg.lanes').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 4 });
      await page.mouse.up();
      expect(await page.textContent('.zoom-status')).toMatch(/^showing /);
      await page.click('.zoom-reset');
      expect(await page.textContent('.zoom-status')).toBe('whole run');
      await page.close();
    }
  }, 120_000);
});

describe('bench charts in Chromium', () => {
  test('every legend entry is a series drawn, with and without the model', async () => {
    const settings = { params: [parseParam('records=100'), parseParam('recordTime=100ms')], sweep: parseSweep('heartbeatEvery=1s,4s'), mtbfMs: 10_000, runs: 6, seed: 5 };
    const result = await runBench(reference, settings);
    const none: BenchResult = { ...result, points: result.points.map((p) => ({ ...p, model: { applicable: false as const, reason: 'no model' } })) };
    for (const [variant, r] of [['model', result], ['no-model', none]] as const) {
      for (const [chart, svg] of Object.entries(await renderCharts(r))) {
        const name = `bench-${variant}-${chart.replace('.svg', '')}`;
        const page = await open(name, `<!DOCTYPE html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
        await page.screenshot({ path: join(OUT, `${name}.png`), timeout: 90_000 });
        const found = await page.evaluate(() => {
          const strokes = new Set([...document.querySelectorAll('.mark-line path')].filter((p) => (p as SVGPathElement).getTotalLength() > 0).map((p) => p.getAttribute('stroke')));
          const entries = [...document.querySelectorAll('.role-legend-entry, .role-legend-symbol')].length;
          const labels = [...document.querySelectorAll('.role-legend-label text')].map((t) => t.textContent ?? '');
          const symbols = [...document.querySelectorAll('.role-legend-symbol path')].map((p) => p.getAttribute('stroke'));
          return { strokes: [...strokes], labels, symbols, entries };
        });
        expect(found.labels.length).toBeGreaterThan(0);
        expect(found.labels.length).toBe(found.symbols.length);
        for (const s of found.symbols) expect(found.strokes, `${name}: legend symbol ${s} drawn`).toContain(s);
        if (variant === 'no-model') expect(found.labels.some((l) => l.includes('model'))).toBe(false);
        await page.close();
      }
    }
  }, 120_000);
});
