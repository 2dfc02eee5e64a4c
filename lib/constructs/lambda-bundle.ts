/**
 * How every function's code is built: esbuild (the local devDependency: no Docker), ESM with code splitting, so what a
 * handler loads on first use (the SES and End User Messaging clients, the Step Functions client, optional X-Ray
 * tracing, the SDK's unused credential providers, the operations a request does not call) becomes separate chunks
 * that are never read at cold start. One `index.mjs` per function, its chunks under `chunks/`. NodejsFunction cannot
 * split (it builds one file), hence this.
 *
 * The same options serve the CDK asset and the bundle benchmark (bench/bundles.ts), so what is measured is what ships.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BuildOptions, build, type Plugin } from 'esbuild';

export interface LambdaBundleOptions {
  /** Entry file, absolute. */
  entry: string;
  /** Output directory, absolute. */
  outdir: string;
  /** Ship external source maps next to the code (off by default: they are 5-10 times the code's size). */
  sourceMap?: boolean;
}

export const esbuildOptions = ({ entry, outdir, sourceMap = false }: LambdaBundleOptions): BuildOptions => ({
  entryPoints: { index: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: sourceMap ? 'external' : false,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies still call require(); ESM has none, so give them one.
  banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
  // The SDK versions pinned in package-lock.json are bundled instead of the runtime's (unpinned) copy, so the
  // deployed code runs exactly the SDK the tests ran.
  external: [],
  logLevel: 'error',
  legalComments: 'none',
});

/**
 * The code a cold start reads in ONE chunk instead of a dozen. esbuild puts each module in a chunk per set of entry
 * points that reach it, and every `import()` is an entry point: the code the handler loads at init, shared in
 * different ways with each lazy chunk, came out as 10-20 small files, and Node pays about 0.4 ms per module file
 * (resolve, read, compile, link) on top of the code itself. Every lazy chunk is only ever loaded after the entry has
 * run, so each `import()` target is given a static import of the entry: all init code then has the same set of entry
 * points and lands in one chunk (next to a two-line `index.mjs`), which the lazy chunks import from. Nothing is loaded
 * earlier or twice: the lazy chunks import what is already in memory.
 */
export const initInOneChunk = (entry: string): Plugin => ({
  name: 'init-in-one-chunk',
  setup(bundler) {
    bundler.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'init-in-one-chunk') return undefined;
      const target = await bundler.resolve(args.path, {
        kind: 'dynamic-import',
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'init-in-one-chunk',
      });
      if (target.errors.length > 0 || target.external) return undefined;
      return { path: target.path, namespace: 'init-in-one-chunk' };
    });
    bundler.onLoad({ filter: /.*/, namespace: 'init-in-one-chunk' }, (args) => {
      const hasDefault = /\bexport\s+default\b|\bas\s+default\b/.test(readFileSync(args.path, 'utf8'));
      const target = JSON.stringify(args.path);
      return {
        contents: [
          `import ${JSON.stringify(entry)};`,
          `export * from ${target};`,
          ...(hasDefault ? [`export { default } from ${target};`] : []),
        ].join('\n'),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
});

/** Builds one function into `outdir`. */
export const buildLambdaBundleAsync = async (options: LambdaBundleOptions): Promise<void> => {
  await build({ ...esbuildOptions(options), plugins: [initInOneChunk(options.entry)] });
};

/**
 * Builds one function into `outdir` synchronously, as CDK's local bundling needs: esbuild runs plugins in its async
 * API only, so the build runs in a child process (lambda-bundle-cli.ts).
 */
export const buildLambdaBundle = (options: LambdaBundleOptions): void => {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'lambda-bundle-cli.ts'), JSON.stringify(options)],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`bundling ${options.entry} failed (exit ${child.status ?? child.signal})`);
};
