/**
 * Builds the web console into console/dist: esbuild bundles console/src (Preact, uPlot, the official SDK clients)
 * into content-hashed files, and index.html is written to reference them. No CDN and no inline script, so the
 * Content-Security-Policy can forbid both. The total JavaScript is measured gzipped and the build fails over budget.
 *
 *   npm run build:console            build
 *   tsx console/build.ts --if-stale  build only when a source is newer than the last build (npm start, npm test)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parseCli } from '../local/cli.ts';
import { CONSOLE_DIST, CONSOLE_SOURCE } from './paths.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The issue's budget for all JavaScript the console loads, gzipped. */
export const JS_BUDGET_BYTES = 300 * 1024;

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface ConsoleBuild {
  builtAt: string;
  files: BuiltFile[];
  /** All JavaScript, every chunk included. */
  javascriptGzipBytes: number;
  /** What the first page loads: the entry and the chunks it imports statically (the views are loaded on demand). */
  initialJavascriptGzipBytes: number;
}

const BUILD_INFO = join(CONSOLE_DIST, 'build-info.json');

/** Every file whose change makes the build stale: the sources, this script and the locked dependency versions. */
function newestInput(): number {
  let newest = Math.max(
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    statSync(join(ROOT, 'package-lock.json')).mtimeMs,
  );
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(CONSOLE_SOURCE);
  return newest;
}

export function consoleIsStale(): boolean {
  if (!existsSync(BUILD_INFO)) return true;
  return statSync(BUILD_INFO).mtimeMs < newestInput();
}

/**
 * index.html: the entry script and style, the chunks the entry imports statically (preloaded, so they load in
 * parallel with it rather than after it), and /config.json preloaded, since the console reads it first.
 */
const indexHtml = (script: string, style: string, preloads: string[]) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light">
    <title>Incident Manager</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/${style}">
    <link rel="preload" href="/config.json" as="fetch" crossorigin="anonymous">
${preloads.map((chunk) => `    <link rel="modulepreload" href="/${chunk}">\n`).join('')}    <script type="module" src="/${script}"></script>
  </head>
  <body>
    <div id="app"><p class="boot">Loading the incident console…</p></div>
    <noscript>The incident console needs JavaScript.</noscript>
  </body>
</html>
`;

export async function buildConsole(): Promise<ConsoleBuild> {
  rmSync(CONSOLE_DIST, { recursive: true, force: true });
  mkdirSync(CONSOLE_DIST, { recursive: true });
  const result = await build({
    entryPoints: { app: join(CONSOLE_SOURCE, 'main.tsx') },
    outdir: CONSOLE_DIST,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome115', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => relative(CONSOLE_DIST, join(ROOT, path)));
  const script = outputs.find((file) => /^app-[^/]+\.js$/.test(file));
  const style = outputs.find((file) => /^app-[^/]+\.css$/.test(file));
  if (!script || !style) throw new Error(`console build: entry outputs missing in ${outputs.join(', ')}`);
  // Everything the entry imports statically, transitively: what the first page (the incident list) loads.
  const outputsByFile = new Map(
    Object.entries(result.metafile.outputs).map(([path, output]) => [relative(CONSOLE_DIST, join(ROOT, path)), output]),
  );
  const initial = new Set<string>([script]);
  for (const file of initial)
    for (const imported of outputsByFile.get(file)?.imports ?? [])
      if (imported.kind === 'import-statement') initial.add(relative(CONSOLE_DIST, join(ROOT, imported.path)));
  const preloads = [...initial].filter((file) => file !== script);
  writeFileSync(join(CONSOLE_DIST, 'index.html'), indexHtml(script, style, preloads));

  const files = outputs
    .filter((file) => !file.endsWith('.map') && !file.endsWith('.txt'))
    .concat('index.html')
    .map((file) => {
      const content = readFileSync(join(CONSOLE_DIST, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  const javascriptGzipBytes = files.filter((f) => f.file.endsWith('.js')).reduce((sum, f) => sum + f.gzipBytes, 0);
  const initialJavascriptGzipBytes = files.filter((f) => initial.has(f.file)).reduce((sum, f) => sum + f.gzipBytes, 0);
  const info: ConsoleBuild = {
    builtAt: new Date().toISOString(),
    files,
    javascriptGzipBytes,
    initialJavascriptGzipBytes,
  };
  writeFileSync(BUILD_INFO, `${JSON.stringify(info, null, 2)}\n`);
  if (javascriptGzipBytes > JS_BUDGET_BYTES) {
    rmSync(BUILD_INFO);
    throw new Error(
      `console build: ${kb(javascriptGzipBytes)} of JavaScript gzipped is over the ${kb(JS_BUDGET_BYTES)} budget`,
    );
  }
  return info;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function describeBuild(info: ConsoleBuild): string {
  const lines = info.files
    .slice()
    .sort((a, b) => b.gzipBytes - a.gzipBytes)
    .map((f) => `  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)} ${kb(f.gzipBytes).padStart(10)} gzipped`);
  return [
    `Console built into ${relative(process.cwd(), CONSOLE_DIST) || '.'}:`,
    ...lines,
    `  JavaScript in total: ${kb(info.javascriptGzipBytes)} gzipped (budget ${kb(JS_BUDGET_BYTES)}); ` +
      `the incident list loads ${kb(info.initialJavascriptGzipBytes)} of it`,
  ].join('\n');
}

/** Builds when stale; returns undefined when the last build is current. */
export async function ensureConsoleBuilt(): Promise<ConsoleBuild | undefined> {
  return consoleIsStale() ? buildConsole() : undefined;
}

if (process.argv[1] && basename(process.argv[1]) === basename(fileURLToPath(import.meta.url))) {
  const { values } = parseCli(process.argv.slice(2), {
    usage: 'npm run build:console [-- --if-stale]',
    description: 'Builds the web console into console/dist (npm start builds it when it is stale).',
    options: { 'if-stale': { help: 'build only when a source file changed since the last build' } },
  });
  const ifStale = values['if-stale'] === true;
  const info = ifStale ? await ensureConsoleBuilt() : await buildConsole();
  if (info) console.log(describeBuild(info));
  else if (ifStale) console.log('Console is up to date (console/dist).');
}
