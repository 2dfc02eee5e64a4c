import { readFileSync } from 'node:fs';
import { satisfies, subset } from 'semver';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  engines?: { node?: string } | string[];
}

const lockfile = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const projectRange = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

/** What `npm ci` checks: each installed package's declared Node range, against the Node that installs it. */
const nodeRanges = Object.entries(lockfile.packages).flatMap(([path, pkg]) =>
  path !== '' && pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node
    ? [{ path, range: pkg.engines.node }]
    : [],
);

describe('the supported Node versions', () => {
  it('include the Node running this suite', () => {
    expect(satisfies(process.version, projectRange)).toBe(true);
  });

  it('are accepted by every installed package, so npm ci prints no EBADENGINE warning', () => {
    const refusing = nodeRanges.filter(({ range }) => !satisfies(process.version, range));
    expect(refusing, `packages whose engines refuse Node ${process.version}`).toEqual([]);
  });

  it('run the local workflow interpreter on every supported major (vendor/README.md)', () => {
    const interpreter = nodeRanges.find(({ path }) => path === 'node_modules/aws-local-stepfunctions');
    expect(interpreter && subset(projectRange, interpreter.range)).toBe(true);
  });
});
