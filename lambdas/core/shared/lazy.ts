/**
 * A module (or anything built asynchronously) loaded on its first use and then shared: `const m = lazy(() =>
 * import('./m.ts'))`, then `(await m()).f()`. In the Lambda bundles every `import()` is a separate chunk, read only by
 * the invocation that first needs it. Worth it for large code that a function's first request may well not need (an
 * SDK client used on one path): each chunk costs a file to read and link, so code every request needs stays in the
 * init chunk (docs/benchmarks.md, "Lambda bundles"). A failed load is retried by the next call rather than cached.
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
