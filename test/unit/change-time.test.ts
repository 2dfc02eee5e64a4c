import { describe, expect, it } from 'vitest';
import { changeTime } from '#core/shared/time.ts';

describe('the time of a change', () => {
  it('is read when the change is applied, not when the request arrived', () => {
    expect(changeTime({ now: 1_000, clock: () => 5_000 }, 900)).toBe(5_000);
  });

  it('comes after the record’s previous change, even when this writer’s clock is behind', () => {
    expect(changeTime({ now: 1_000, clock: () => 1_000 }, 4_000)).toBe(4_001);
    expect(changeTime({ now: 1_000, clock: () => 4_000 }, 4_000)).toBe(4_001);
  });

  it('is never before the request time', () => {
    expect(changeTime({ now: 2_000, clock: () => 1_500 }, undefined)).toBe(2_000);
  });
});
