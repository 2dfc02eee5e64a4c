/**
 * A module (or anything built asynchronously) loaded on its first use and then shared: `const m = lazy(() =>
 * import('./m.ts'))`, then `(await m()).f()`. In the Lambda bundles every `import()` is a separate chunk, read only by
 * the invocation that first needs it, so a function's cold start parses only the code its init uses
 * (docs/benchmarks.md, "Lambda bundles"). A failed load is retried by the next call rather than cached.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * Functions of a module loaded on first call: `const ops = loadedFrom(lazy(() => import('./ops.ts')))`, then
 * `ops((m) => m.startIncident)` is a function that loads the module on its first call and calls `startIncident`.
 */
export const loadedFrom =
  <M>(load: () => Promise<M>) =>
  <A extends unknown[], R>(pick: (module: M) => (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> =>
    pick(await load())(...args);
