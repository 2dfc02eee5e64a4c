import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { escapeKeys, restoreKeys } from '#adapters/dynamodb/map-keys.ts';

const SPECIAL = [...Object.getOwnPropertyNames(Object.prototype), '~', '~~x', 'plain', ''];

const withKeys = (keys: readonly string[], value: (key: string) => unknown) => {
  const result: Record<string, unknown> = {};
  for (const key of keys)
    Object.defineProperty(result, key, { value: value(key), enumerable: true, writable: true, configurable: true });
  return result;
};

describe('storing map keys that JavaScript treats specially', () => {
  it('round-trips every Object.prototype name and escape-prefixed key, at any depth, through the marshaller', () => {
    const item = {
      pk: 'X',
      tags: withKeys(SPECIAL, (k) => `v-${k}`),
      nested: [withKeys(SPECIAL, (k) => withKeys(SPECIAL, () => k))],
    };
    const stored = escapeKeys(item);
    expect(() => marshall(stored, { convertClassInstanceToMap: false })).not.toThrow();
    const restored = restoreKeys(stored);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(item));
    expect(Object.getPrototypeOf(restored.tags)).toBe(Object.prototype);
    expect(Object.hasOwn(restored.tags, '__proto__')).toBe(true);
  });

  it('leaves keys of the item layout as they are', () => {
    const item = { pk: 'A', sk: 'B', gsi1pk: 'C', ':value': 1, '#name': 'x', tags: { team: 'pay' } };
    expect(escapeKeys(item)).toEqual(item);
  });
});
