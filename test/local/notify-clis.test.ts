/**
 * The command-line tools of notifications and chat, as a person runs them: `--help` exits 0, an unknown option prints
 * the usage and exits 2, data goes to stdout and messages to stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

describe('npm run events / outbox / slack', () => {
  it.each([['local/events-cli.ts'], ['local/outbox-cli.ts'], ['local/slack-cli.ts']])(
    '%s: --help exits 0 with the usage; an unknown option exits 2 with it',
    (script) => {
      const help = run(script, ['--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: npm run /);
      const wrong = run(script, ['--no-such-option']);
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toContain('--no-such-option');
      expect(wrong.stderr).toContain('Usage:');
      expect(wrong.stdout).toBe('');
    },
  );

  it('events prints the last events on stdout, whole with --json; notifications likewise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const event = (n: number) => ({
      version: '0',
      id: `e-${n}`,
      'detail-type': 'Incident Opened',
      source: 'open-incident-manager',
      account: '123456789012',
      time: '2026-11-21T14:02:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { schemaVersion: '1', eventId: `x-${n}`, incident: { id: `id-${n}`, title: `Incident ${n}` } },
    });
    writeFileSync(join(dir, 'events.jsonl'), `${[1, 2, 3].map((n) => JSON.stringify(event(n))).join('\n')}\n`);
    const table = run('local/events-cli.ts', ['--limit', '2'], { DATA_DIR: dir });
    expect(table.status).toBe(0);
    expect(table.stdout.trim().split('\n')).toEqual([
      '2026-11-21T14:02:00Z  Incident Opened         id-2 "Incident 2"',
      '2026-11-21T14:02:00Z  Incident Opened         id-3 "Incident 3"',
    ]);
    const json = run('local/events-cli.ts', ['--json', '--limit', '0'], { DATA_DIR: dir });
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['e-1', 'e-2', 'e-3']);

    const published = {
      time: '2026-11-21T14:02:01.000Z',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
      Subject: 'Impact 2 incident opened: Checkout failing',
      Message: JSON.stringify({ metadata: { threadId: 'incident-1' } }),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: 'IncidentOpened' } },
    };
    writeFileSync(join(dir, 'notifications.jsonl'), `${JSON.stringify(published)}\n`);
    const notifications = run('local/outbox-cli.ts', ['--notifications'], { DATA_DIR: dir });
    expect(notifications.stdout).toContain(
      'arn:aws:sns:us-east-1:123456789012:ops  IncidentOpened  Impact 2 incident opened',
    );
    const whole = run('local/outbox-cli.ts', ['--notifications', '--json'], { DATA_DIR: dir });
    expect(JSON.parse(whole.stdout)).toEqual([published]);
  });
});
