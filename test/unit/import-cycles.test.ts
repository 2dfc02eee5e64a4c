/**
 * The deployed code has no import cycles: each module can be read (and bundled, and tested) after the modules it
 * imports. Type-only imports are left out, as they vanish at compile time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('lambdas');
const ALIASES: Record<string, string> = {
  '#core/': 'lambdas/core/',
  '#adapters/': 'lambdas/adapters/',
  '#http/': 'lambdas/http/',
  '#runtime/': 'lambdas/runtime/',
  '#handlers/': 'lambdas/handlers/',
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });

/** The project modules a file imports at run time (`import type` and `export type` left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  return specifiers.flatMap((specifier) => {
    const alias = Object.keys(ALIASES).find((prefix) => specifier.startsWith(prefix));
    if (alias) return [resolve(ALIASES[alias]! + specifier.slice(alias.length))];
    if (specifier.startsWith('.')) return [resolve(dirname(file), specifier)];
    return [];
  });
}

/** Every cycle found by a depth-first walk, each as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'visiting') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('import graph of lambdas/', () => {
  it('has no cycles', () => {
    const graph = new Map(sourceFiles(ROOT).map((file) => [file, runtimeImports(file)]));
    const relative = cycles(graph).map((cycle) => cycle.map((file) => file.slice(ROOT.length + 1)).join(' -> '));
    expect(relative).toEqual([]);
  });
});
