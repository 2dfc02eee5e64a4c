/**
 * How every function's code is built: esbuild (the local devDependency: no Docker), ESM with code splitting, so what a
 * handler loads on first use (the SES and End User Messaging clients, the Step Functions client, optional X-Ray
 * tracing, the SDK's unused credential providers) becomes separate chunks that are never read at cold start. One
 * `index.mjs` per function, its chunks under `chunks/`. NodejsFunction cannot split (it builds one file), hence this.
 *
 * The same options serve the CDK asset and the bundle benchmark (bench/bundles.ts), so what is measured is what ships.
 */
import { type BuildOptions, buildSync } from 'esbuild';

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

/** Builds one function into `outdir` (synchronously, as CDK's local bundling needs). */
export const buildLambdaBundle = (options: LambdaBundleOptions): void => {
  buildSync(esbuildOptions(options));
};
