import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDuration, startProgress, withProgress } from '../../local/progress.ts';

/** A writer that keeps what it gets, and a clock the test moves by hand. */
function harness(isTTY = false) {
  const written: string[] = [];
  let clock = 1_000_000;
  return {
    written,
    writer: { write: (text: string) => written.push(text), isTTY },
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('progress of a long phase', () => {
  afterEach(() => vi.restoreAllMocks());

  it('estimates the time left from the rate observed so far', () => {
    const h = harness();
    const progress = startProgress('seeding', { total: 300, writer: h.writer, now: h.now });
    h.advance(2000);
    progress.tick(120); // 60 per second: 180 left take 3 s
    expect(h.written).toEqual(['seeding: 120/300 (40%), about 3 s left\n']);
    h.advance(8000);
    progress.tick(30); // 150 in 10 s = 15 per second: 150 left take 10 s
    expect(h.written.at(-1)).toBe('seeding: 150/300 (50%), about 10 s left\n');
  });

  it('prints at most one line per interval however often it is told of progress', () => {
    const h = harness();
    const progress = startProgress('samples', { total: 1000, writer: h.writer, now: h.now });
    for (let i = 0; i < 1000; i++) {
      h.advance(10); // 10 s in all
      progress.tick();
    }
    expect(h.written).toHaveLength(5); // at 2, 4, 6, 8 and 10 s
    expect(h.written[0]).toBe('samples: 200/1000 (20%), about 8 s left\n');
  });

  it('ends with one line giving the elapsed time, even for a phase shorter than the interval', () => {
    const h = harness();
    const progress = startProgress('burst', { total: 50, writer: h.writer, now: h.now });
    h.advance(700);
    progress.tick(50);
    progress.finish();
    progress.finish();
    progress.tick();
    expect(h.written).toEqual(['burst: 50/50 (100%) in 0.7 s\n']);
  });

  it('shows a count and a rate when the total is unknown', () => {
    const h = harness();
    const progress = startProgress('scanning', { unit: 'items', writer: h.writer, now: h.now });
    h.advance(4000);
    progress.update(1600);
    h.advance(1000);
    progress.finish();
    expect(h.written).toEqual(['scanning: 1600 items, 400/s\n', 'scanning: 1600 items in 5.0 s\n']);
  });

  it('gives no estimate before anything is done, nor once everything is', () => {
    const h = harness();
    const progress = startProgress('waiting', { total: 10, writer: h.writer, now: h.now });
    h.advance(3000);
    progress.tick(0);
    h.advance(3000);
    progress.tick(10);
    expect(h.written).toEqual(['waiting: 0/10 (0%)\n', 'waiting: 10/10 (100%)\n']);
  });

  it('rewrites one line on a terminal and ends it at the finish', () => {
    const h = harness(true);
    const progress = startProgress('runs', { total: 4, writer: h.writer, now: h.now });
    h.advance(2000);
    progress.tick();
    h.advance(2000);
    progress.tick();
    progress.finish();
    expect(h.written).toEqual([
      '\rruns: 1/4 (25%), about 6 s left\x1b[K',
      '\rruns: 2/4 (50%), about 4 s left\x1b[K',
      '\rruns: 2/4 (50%) in 4.0 s\x1b[K\n',
    ]);
  });

  it('says the phase stopped when its work fails, and rethrows', async () => {
    const h = harness();
    const failing = withProgress('runs', { total: 4, writer: h.writer, now: h.now }, async (progress) => {
      progress.tick();
      h.advance(1500);
      throw new Error('DynamoDB Local went away');
    });
    await expect(failing).rejects.toThrow('DynamoDB Local went away');
    expect(h.written).toEqual(['runs: 1/4 (25%), stopped after 1.5 s\n']);
  });

  it('writes to stderr by default and never to stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const progress = startProgress('phase', { total: 1 });
    progress.tick();
    progress.finish();
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('reads durations the way a person would say them', () => {
    expect(formatDuration(35_400)).toBe('35 s');
    expect(formatDuration(250_000)).toBe('4 min 10 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
  });
});
