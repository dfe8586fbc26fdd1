/**
 * The timeline page looked at as a person would (no browser needed: text-metric estimates):
 * no label runs out of its lane or of the label column, and the legend lists exactly the
 * series drawn. Real runs with long failure messages, partitions, retries and highlights.
 */
import { describe, expect, test } from 'vitest';
import { layoutProblems } from './layout-check.js';
import { renderSamples } from './render-samples.js';

const pages = renderSamples;

describe('the timeline page, looked at', () => {
  test('no label overflows its lane or the label column; the legend lists exactly what is drawn', async () => {
    for (const [name, html] of await pages()) expect({ name, problems: layoutProblems(html) }).toEqual({ name, problems: [] });
  });

  test('the long failure message is whole in the lane tooltip, and wrapped, not cut, in the label column when it fits two lines', async () => {
    const html = (await pages())[2]![1];
    expect(html).toContain('failed: TransientError: world.sink.add failed: connection reset by peer while writing total/account-7 (attempt 1 of a flaky upstream)');
    expect(html).toMatch(/<rect class="lane-hit"[^>]*><title>attempt 1 on worker-1#1\nstarted at [^<]*\nfailed: TransientError: world\.sink\.add failed: connection reset by peer/);
  });

  test('the checker catches a label too long for its column, a legend entry for a series not drawn, and a series missing from the legend', async () => {
    const html = (await pages())[1]![1];
    const longLabel = html.replace(/(<text class="lbl-sub" x="10" y="[\d.]+">)worker-1#1/, '$1worker-1#1 on a host with a very long name indeed');
    expect(layoutProblems(longLabel).join('\n')).toMatch(/overflows the label column/);
    const ghost = html.replace('<ul class="legend">', '<ul class="legend"><li><svg class="sw"><rect class="k-rfault"/></svg>RPC fault</li>');
    expect(layoutProblems(ghost).join('\n')).toMatch(/legend lists "RPC fault" but the figure draws no k-rfault/);
    const missing = html.replace(/<li><svg class="sw"[^]*?<\/svg>crash<\/li>/, '');
    expect(layoutProblems(missing).join('\n')).toMatch(/the figure draws k-crash but the legend does not list "crash"/);
    const low = html.replace(/(<g class="lane" id="lane-1"[^>]*><rect class="bg-(?:even|odd)" x="0" y="[\d.]+" width="\d+" height=")(\d+)/, '$120');
    expect(layoutProblems(low).join('\n')).toMatch(/lane of attempt 1: label .* overflows the lane/);
  });
});
