/**
 * Map keys that JavaScript treats specially, stored safely. The API lets callers name map entries freely (tag keys,
 * replication-set Regions, automation parameters), and `__proto__` or `constructor` are valid names by the models'
 * patterns. The SDK's marshaller cannot store them as they are: an own `constructor` key makes it reject the object
 * ("Unsupported type passed"), and `__proto__` is assigned with `map[key] = ...`, which sets a prototype instead of
 * adding an entry, on the way in and on the way out.
 *
 * So every object key that names an Object.prototype member, or that starts with the escape character, is stored with
 * ESCAPE in front of it and restored on the way out. Keys of our own item layout never need it, so stored items look
 * as before; the escape applies to the whole command input and output, which is why it can live in one place.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';

const ESCAPE = '~';
const SPECIAL = new Set(Object.getOwnPropertyNames(Object.prototype));

const needsEscape = (key: string) => SPECIAL.has(key) || key.startsWith(ESCAPE);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const mapKeys = (value: unknown, rename: (key: string) => string): unknown => {
  if (Array.isArray(value)) return value.map((element) => mapKeys(element, rename));
  if (!isPlainObject(value)) return value;
  const result: Record<string, unknown> = {};
  // defineProperty: a restored `__proto__` must be an ordinary entry, not the object's prototype.
  for (const [key, element] of Object.entries(value))
    Object.defineProperty(result, rename(key), {
      value: mapKeys(element, rename),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return result;
};

/** A copy of `value` whose object keys are safe to marshal (see the module comment). */
export const escapeKeys = <T>(value: T): T => mapKeys(value, (key) => (needsEscape(key) ? ESCAPE + key : key)) as T;

/** The inverse of escapeKeys, for what DynamoDB returns. */
export const restoreKeys = <T>(value: T): T =>
  mapKeys(value, (key) => (key.startsWith(ESCAPE) ? key.slice(ESCAPE.length) : key)) as T;

/** `unmarshall` for raw attribute maps the document client does not translate (cancellation reasons, errors). */
export const unmarshallItem = (item: Parameters<typeof unmarshall>[0]): Record<string, unknown> =>
  restoreKeys(unmarshall(item));

type Handler = (args: { input: object }) => Promise<{ output: object }>;

const escapingMiddleware =
  (next: Handler): Handler =>
  async (args) => {
    const result = await next({ ...args, input: escapeKeys(args.input) });
    return { ...result, output: restoreKeys(result.output) };
  };

/** The part of a command's middleware stack this module uses (`add` of @smithy's MiddlewareStack). */
interface WithMiddlewareStack {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name: string; override: boolean }): void };
}

/**
 * Adds the escaping to one document command. It runs at the initialize step, around the document client's own
 * marshalling (serialize step) and unmarshalling (deserialize step), so it sees and returns native values.
 */
export const escapeMapKeysOf = (command: WithMiddlewareStack) => {
  command.middlewareStack.add(escapingMiddleware as never, {
    step: 'initialize',
    name: 'escapeMapKeys',
    override: true,
  });
};
