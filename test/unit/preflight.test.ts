import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('prerequisite check before npm start / npm test', () => {
  it('says how to install Java instead of failing later with a stack trace', () => {
    // Prepare: a PATH with node but no java.
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      // Act
      const result = spawnSync(join(bin, 'node'), ['local/preflight.mjs'], { env: { PATH: bin }, encoding: 'utf8' });
      // Assess
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Cannot start the local Incident Manager');
      expect(result.stderr).toContain('Java was not found');
      expect(result.stderr).toContain('openjdk-17-jdk-headless');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('passes quietly when Node and Java are present', () => {
    const result = spawnSync(process.execPath, ['local/preflight.mjs'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
