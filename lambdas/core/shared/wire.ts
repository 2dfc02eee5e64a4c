/**
 * The official SDKs' output types are the contract of our responses; this maps them to what travels on the wire.
 * The SDK parses epoch-second timestamps into Date, adds `$metadata`, and types unions with an `$unknown` member for
 * members it does not know yet: on the wire a timestamp is a number of seconds, there is no `$metadata`, and a server
 * sends only members of its model. Used with type-only imports, so no SDK code reaches a Lambda bundle.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends readonly (infer Element)[]
    ? Wire<Element>[]
    : T extends { $unknown: [string, unknown] }
      ? never
      : T extends object
        ? { [K in keyof T as K extends '$metadata' ? never : K]: Wire<T[K]> }
        : T;

/** The body an operation returns: undefined when the output has no member (a 204, or `{}` on a 200). */
export type ResponseBody<Output> = [keyof Output] extends [never] ? undefined : Output;
