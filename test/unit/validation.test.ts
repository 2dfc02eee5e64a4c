import { describe, expect, it } from 'vitest';
import { incidentTemplate, tagMap } from '#core/incidents/shapes.ts';
import { ValidationError } from '#core/shared/errors.ts';
import { integer, list, optional, required, string, struct, timestamp, union } from '#core/shared/validation.ts';

const errorOf = (fn: () => unknown): ValidationError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('request validation', () => {
  it('names the nested member that breaks a constraint', () => {
    const error = errorOf(() => incidentTemplate.parse({ title: 'Down', impact: 9 }, 'incidentTemplate'));
    expect(error.field).toBe('incidentTemplate.impact');
    expect(error.message).toContain("Value at 'incidentTemplate.impact'");
    expect(error.message).toContain('less than or equal to 5');
  });

  it('reports a missing required member as null, like AWS', () => {
    const error = errorOf(() => incidentTemplate.parse({ impact: 1 }, 'incidentTemplate'));
    expect(error.message).toContain("Value null at 'incidentTemplate.title'");
  });

  it('rejects wrong JSON types instead of coercing them', () => {
    const schema = struct({ impact: required(integer({ min: 1, max: 5 })) });
    expect(errorOf(() => schema.parse({ impact: '2' }, '')).field).toBe('impact');
    expect(errorOf(() => schema.parse({ impact: 2.5 }, '')).field).toBe('impact');
  });

  it('counts string length in characters, so 200 emoji fit a 200-character title', () => {
    const title = string({ max: 200 });
    expect(title.parse('🚨'.repeat(200), 'title')).toHaveLength(400);
    expect(errorOf(() => title.parse('x'.repeat(201), 'title')).field).toBe('title');
  });

  it('numbers list elements from 1 in the field path', () => {
    const schema = struct({ targets: optional(list(string({ max: 3 }), { max: 5 })) });
    expect(errorOf(() => schema.parse({ targets: ['ok', 'toolong'] }, '')).field).toBe('targets.2');
  });

  it('treats null members as unset and ignores unknown members without storing them', () => {
    const schema = struct({ title: optional(string()) });
    expect(schema.parse({ title: null, surprise: 'x' }, '')).toEqual({});
  });

  it('requires exactly one member of a union', () => {
    const channel = union({ empty: struct({}), chatbotSns: list(string()) });
    expect(channel.parse({ chatbotSns: ['a'], empty: null }, 'chatChannel')).toEqual({ chatbotSns: ['a'] });
    expect(errorOf(() => channel.parse({}, 'chatChannel')).field).toBe('chatChannel');
    expect(errorOf(() => channel.parse({ empty: {}, chatbotSns: ['a'] }, 'chatChannel')).field).toBe('chatChannel');
    expect(errorOf(() => channel.parse({ slack: 'x' }, 'chatChannel')).field).toBe('chatChannel');
  });

  it('reads epoch seconds with fractions as milliseconds', () => {
    expect(timestamp().parse(1735787045.678, 't')).toBe(1735787045678);
    expect(errorOf(() => timestamp().parse('yesterday', 't')).field).toBe('t');
  });

  it('refuses tag keys in the reserved aws: namespace and more than 50 tags', () => {
    expect(errorOf(() => tagMap().parse({ 'aws:owner': 'x' }, 'tags')).field).toBe('tags.key');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(errorOf(() => tagMap().parse(many, 'tags')).field).toBe('tags');
  });
});

describe('map keys', () => {
  it('keeps a tag named __proto__ as an ordinary tag instead of dropping it', () => {
    const tags = tagMap().parse(JSON.parse('{"__proto__":"x","team":"pay"}'), 'tags');
    expect(Object.entries(tags)).toEqual([
      ['__proto__', 'x'],
      ['team', 'pay'],
    ]);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});

describe('hostile member names and text', () => {
  const names = Object.getOwnPropertyNames(Object.prototype);

  it('treats a union member named like any Object.prototype member as an unknown member', () => {
    const channel = union({ empty: struct({}), chatbotSns: list(string()) });
    for (const name of names) {
      const error = errorOf(() => channel.parse(JSON.parse(`{"${name}":{}}`), 'chatChannel'));
      expect(error.field).toBe('chatChannel');
    }
  });

  it('never reads a struct member from Object.prototype', () => {
    const schema = struct({ toString: optional(string()), constructor: optional(string()) });
    expect(schema.parse({}, '')).toEqual({});
    expect(errorOf(() => struct({ valueOf: required(string()) }).parse({}, '')).field).toBe('valueOf');
  });

  it('rejects a lone UTF-16 surrogate anywhere in a string or map key, naming the field', () => {
    for (const text of ['\ud800', 'a\udc00b', 'x\ud83d']) {
      expect(errorOf(() => string().parse(text, 'title')).message).toContain('unpaired UTF-16 surrogate');
      expect(errorOf(() => tagMap().parse({ [text]: 'v' }, 'tags')).field).toBe('tags.key');
    }
    expect(string().parse('🚨 paired surrogates are fine', 'title')).toContain('🚨');
  });
});
