/**
 * Setup file of the infra project (it runs before each test file). A CDK App created without an outdir synthesizes
 * into a new folder of the OS temp folder (`cdk.outXXXXXX`, with the code assets it bundled) that nothing removes:
 * about 70 folders and 225 MB per run of the suite, left on every developer's machine. Each infra file's Apps
 * synthesize under a temp folder of the file's own instead (TMPDIR, which os.tmpdir() reads on each call), removed
 * after the file. A template a test holds is already read into memory (the stack test/support/default-stack.ts
 * shares between files too): nothing reads a synthesized folder after its file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const previous = process.env.TMPDIR;
const folder = mkdtempSync(join(tmpdir(), 'incident-manager-infra-'));
process.env.TMPDIR = folder;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(folder, { recursive: true, force: true });
});
