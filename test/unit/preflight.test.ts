import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('accepts a Java runtime without the compiler (a JRE, as CI installs): the launcher ships compiled', () => {
    // Prepare: a PATH whose java answers like openjdk-17-jre-headless (no jdk.compiler module).
    const bin = mkdtempSync(join(tmpdir(), 'jre-only-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const jre = [
      '#!/bin/sh',
      'if [ "$1" = "-version" ]; then echo \'openjdk version "17.0.15" 2025-04-15\' >&2; exit 0; fi',
      'if [ "$1" = "--list-modules" ]; then echo java.base@17.0.15; echo java.sql@17.0.15; exit 0; fi',
      'exit 1',
    ];
    writeFileSync(join(bin, 'java'), `${jre.join('\n')}\n`);
    chmodSync(join(bin, 'java'), 0o755);
    try {
      // Act
      const result = spawnSync(join(bin, 'node'), ['local/preflight.mjs', '--for-tests'], {
        env: { PATH: `${bin}:/bin:/usr/bin` },
        encoding: 'utf8',
      });
      // Assess
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
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
