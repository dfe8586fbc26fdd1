import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../app/cli/write-atomic.js';

describe('reports are written atomically', () => {
  test('the file appears complete, replaces an older one, and no temporary file is left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-atomic-'));
    const path = join(dir, 'failures', 'x.json');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second'.repeat(10_000));
    expect(readFileSync(path, 'utf8')).toBe('second'.repeat(10_000));
    expect(readdirSync(join(dir, 'failures'))).toEqual(['x.json']);
  });

  test('a write that fails leaves the previous report untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbsim-atomic-'));
    const path = join(dir, 'report.json');
    writeFileSync(path, 'complete');
    // A directory where the temporary file would go makes the write fail half-way.
    expect(() => writeFileAtomic(join(path, 'inside.json'), 'x')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('complete');
    expect(existsSync(join(dir, 'report.json.tmp'))).toBe(false);
  });
});
