/**
 * Hostile input, for every operation of both APIs: each operation's valid sample (test/support/operation-samples.ts)
 * is mutated at every position, and every answer must be a modelled error or a success, never a 500:
 *
 * - keys named like Object.prototype members (`toString`, `constructor`, `__proto__`, ...) added to every object and
 *   put in place of every key (struct members, union members, map keys);
 * - every string of the body replaced by one holding a lone UTF-16 surrogate, which must be a ValidationException
 *   (a stored lone surrogate makes the record unreadable for the AWS CLI);
 * - every ARN of this service moved to another partition or Region, which must not act on our resource.
 *
 * Requests go over HTTP to the real local runtime, through the same route table the deployed API uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import { INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import { INCIDENTS_ROUTES } from '#http/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import {
  ALL_SAMPLES,
  type Api,
  buildFixture,
  CONTACTS_SAMPLES,
  type Fixture,
  INCIDENTS_SAMPLES,
  type Json,
  requestOf,
  SAMPLE_ERRORS,
  send,
} from '../support/operation-samples.ts';

const HOSTILE_KEYS = Object.getOwnPropertyNames(Object.prototype);

type Path = (string | number)[];

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every plain object in a JSON value (the root included), with its path. */
function* objectsIn(value: unknown, path: Path = []): Generator<[Path, Json]> {
  if (isObject(value)) {
    yield [path, value];
    for (const [key, child] of Object.entries(value)) yield* objectsIn(child, [...path, key]);
  } else if (Array.isArray(value)) for (const [i, child] of value.entries()) yield* objectsIn(child, [...path, i]);
}

function* stringsIn(value: unknown, path: Path = []): Generator<[Path, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, child] of value.entries()) yield* stringsIn(child, [...path, i]);
  else if (isObject(value)) for (const [key, child] of Object.entries(value)) yield* stringsIn(child, [...path, key]);
}

const define = (target: Json, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** A deep copy in which `edit` replaced the value at `path` (a JSON round trip keeps `__proto__` keys own). */
const edited = (input: Json, path: Path, edit: (value: unknown) => unknown): Json => {
  const copy = JSON.parse(JSON.stringify(input)) as Json;
  if (path.length === 0) return edit(copy) as Json;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1]!;
  const value = edit(parent[last]);
  if (Array.isArray(parent)) parent[last as number] = value;
  else define(parent, String(last), value);
  return copy;
};

interface Mutation {
  what: string;
  input: Json;
  /** The answers this mutation allows. */
  expect: 'no-server-error' | 'validation-error' | 'not-ours';
  path: Path;
}

/** Members bound to the query string or a path label: not in a JSON body, so no lone surrogate can reach them. */
const nonBodyMembers = (api: Api, operation: string): Set<string> => {
  if (api === 'ssm-contacts') return new Set();
  const spec = INCIDENTS_ROUTES.find((r) => r.operation === operation)!;
  return new Set([
    ...(spec.query ?? []),
    ...(spec.queryLists ?? []),
    ...(spec.path.includes('{resourceArn}') ? ['resourceArn'] : []),
  ]);
};

const FOREIGN_ARN_VARIANTS = (arn: string): string[] => {
  const [, , service, region, ...rest] = arn.split(':');
  const tail = rest.join(':');
  const variants = [`arn:aws-cn:${service}:${region}:${tail}`, `arn:aws-us-gov:${service}:${region}:${tail}`];
  // ssm-incidents ARNs carry no Region; ssm-contacts ARNs carry ours.
  variants.push(`arn:aws:${service}:${region ? 'eu-west-1' : 'us-east-1'}:${tail}`);
  return variants;
};

/**
 * Where an ARN of ours is a reference the operation accepts whatever it names: idempotent deletes (the model gives
 * them no ResourceNotFound), and timeline event references / engagement incident ids (any resource, any string).
 */
const ACCEPTS_ANY_RESOURCE: Record<string, (path: Path) => boolean> = {
  DeleteIncidentRecord: () => true,
  DeleteTimelineEvent: () => true,
  CreateTimelineEvent: (path) => path[0] === 'eventReferences',
  UpdateTimelineEvent: (path) => path[0] === 'eventReferences',
  StartEngagement: (path) => path[0] === 'IncidentId',
};

function mutationsOf(api: Api, operation: string, input: Json): Mutation[] {
  const mutations: Mutation[] = [];
  for (const [path, node] of objectsIn(input)) {
    const keys = Object.keys(node);
    const sibling = keys.length ? node[keys[0]!] : {};
    for (const hostile of HOSTILE_KEYS) {
      mutations.push({
        what: `adds key ${hostile} at ${path.join('.') || '(root)'}`,
        input: edited(input, path, (value) => define({ ...(value as Json) }, hostile, sibling)),
        expect: 'no-server-error',
        path,
      });
      for (const key of keys)
        mutations.push({
          what: `renames ${[...path, key].join('.')} to ${hostile}`,
          input: edited(input, path, (value) => {
            const renamed: Json = {};
            for (const [k, v] of Object.entries(value as Json)) define(renamed, k === key ? hostile : k, v);
            return renamed;
          }),
          expect: 'no-server-error',
          path,
        });
    }
  }
  const outsideBody = nonBodyMembers(api, operation);
  for (const [path, text] of stringsIn(input)) {
    if (outsideBody.has(String(path[0]))) continue;
    mutations.push({
      what: `puts a lone surrogate in ${path.join('.')}`,
      input: edited(input, path, () => `${text}\ud800`),
      expect: 'validation-error',
      path,
    });
  }
  for (const [path, text] of stringsIn(input)) {
    if (!/^arn:aws:ssm-(incidents|contacts):/.test(text)) continue;
    for (const variant of FOREIGN_ARN_VARIANTS(text))
      mutations.push({
        what: `moves ${path.join('.')} to ${variant.split(':').slice(1, 4).join(':')}`,
        input: edited(input, path, () => variant),
        expect: ACCEPTS_ANY_RESOURCE[operation]?.(path) ? 'no-server-error' : 'not-ours',
        path,
      });
  }
  return mutations;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('hostile input, every operation of both APIs', () => {
  let runtime: TestRuntime;
  let fixture: Fixture;

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
    fixture = await buildFixture(runtime, runtime.incidentsClient(), runtime.contactsClient());
  });
  afterAll(() => runtime?.stop());

  it('has a sample for every operation of the operation tables', () => {
    expect(Object.keys(INCIDENTS_SAMPLES).sort()).toEqual(Object.keys(INCIDENTS_OPERATIONS).sort());
    expect(Object.keys(CONTACTS_SAMPLES).sort()).toEqual(Object.keys(CONTACTS_OPERATIONS).sort());
  });

  it('accepts every sample as it is (so the mutations reach deep)', async () => {
    const failures: string[] = [];
    for (const { api, operation, sample } of ALL_SAMPLES) {
      const response = await send(runtime, requestOf(api, operation, sample(fixture)));
      const expected = SAMPLE_ERRORS[operation];
      if (expected && response.headers.get('x-amzn-errortype') === expected) continue;
      if (response.status >= 300) failures.push(`${operation}: ${response.status} ${response.text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers every mutation with a modelled error or a success, never a 500', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const { api, operation, sample } of ALL_SAMPLES) {
      const mutations = mutationsOf(api, operation, sample(fixture));
      await inPool(mutations, 6, async (mutation) => {
        const response = await send(runtime, requestOf(api, operation, mutation.input));
        requests++;
        const type = response.headers.get('x-amzn-errortype');
        const problem =
          response.status >= 500
            ? 'a server error'
            : response.status >= 400 && !type
              ? 'an error without x-amzn-errortype'
              : api === 'ssm-contacts' && response.status >= 400 && response.status !== 400
                ? 'an ssm-contacts client error whose status is not 400 (awsJson1_1 default, no @httpError)'
                : mutation.expect === 'validation-error' && type !== 'ValidationException'
                  ? 'no ValidationException'
                  : mutation.expect === 'not-ours' && response.status < 300
                    ? 'a success: the foreign ARN was taken as one of ours'
                    : undefined;
        if (problem)
          failures.push(
            `${operation} ${mutation.what}: ${problem} (${response.status} ${type ?? ''} ${response.text.slice(0, 200)})`,
          );
      });
    }
    expect(requests).toBeGreaterThan(5000);
    expect(failures.slice(0, 40)).toEqual([]);
  }, 600_000);
});
