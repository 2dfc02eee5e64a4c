/**
 * The command line of every `npm run bench*` script: no flags of its own (the published figures use the defaults),
 * `--help` describes what it measures and the environment overrides for quick trial runs, an unknown flag is refused
 * with the usage (exit 2) before anything starts. Results go to stdout, progress to stderr.
 */
import { parseCli } from '../local/cli.ts';
import { quietNodeVersionWarning } from '../local/node-support.ts';

export function parseBenchCli(script: string, measures: string, overrides: readonly string[]): void {
  // The benchmarks run on the Node versions the local runtime supports: no SDK warning about Node 20.
  quietNodeVersionWarning();
  parseCli(process.argv.slice(2), {
    usage: `npm run ${script}`,
    description: [
      measures,
      'Method and reading: docs/benchmarks.md. Results on stdout, progress on stderr.',
      `Environment overrides for quick trial runs (the published figures use the defaults):\n  ${overrides.join(', ')}`,
    ].join('\n'),
    options: {},
  });
}
