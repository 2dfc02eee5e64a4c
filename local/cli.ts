/**
 * What every command-line script of this project does the same way (`npm run trigger`, `outbox`, `bench*`, ...):
 * `--help` prints usage and exits 0, an unknown flag or a missing value prints usage to stderr and exits 2, data goes
 * to stdout and logs to stderr. Built on Node's own `util.parseArgs`.
 */
import { parseArgs } from 'node:util';

export interface CliOption {
  /** The value's placeholder in the usage (`N`, `FILE`); absent: a flag without a value. */
  value?: string;
  help: string;
  short?: string;
}

export interface CliSpec {
  usage: string;
  description: string;
  options: Record<string, CliOption>;
  /** Whether positional arguments are accepted (described in `usage`). */
  positionals?: boolean;
}

export interface ParsedCli {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export const usageText = (spec: CliSpec): string => {
  const all: Record<string, CliOption> = { ...spec.options, help: { help: 'show this help and exit' } };
  const rows = Object.entries(all).map(
    ([name, option]) => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.help] as const,
  );
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${spec.usage}`,
    '',
    spec.description,
    '',
    'Options:',
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
  ].join('\n');
};

/** Parses `argv` or exits: 0 after `--help`, 2 with the usage on a mistake. */
export function parseCli(argv: string[], spec: CliSpec): ParsedCli {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [
      name,
      {
        type: option.value ? ('string' as const) : ('boolean' as const),
        ...(option.short ? { short: option.short } : {}),
      },
    ]),
  );
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
    if (parsed.values.help) {
      process.stdout.write(`${usageText(spec)}\n`);
      process.exit(0);
    }
    return { values: parsed.values as ParsedCli['values'], positionals: parsed.positionals };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usageText(spec)}\n`);
    process.exit(2);
  }
}
