/**
 * Rebuilds the shipped DynamoDB Local launcher (local/java/prebuilt) from local/java/LoopbackDynamoDbLocal.java, as
 * Java 11 bytecode, and records the source's SHA-256 next to it. Needs a JDK. Run after changing the launcher source:
 *
 *   npm run build:launcher
 */
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from './cli.ts';
import {
  compiledLauncher,
  dynamoDbLocalHome,
  LAUNCHER_SOURCE,
  PREBUILT_LAUNCHER,
  sourceHash,
} from './java-launcher.ts';

parseCli(process.argv.slice(2), {
  usage: 'npm run build:launcher',
  description: 'Compiles local/java/LoopbackDynamoDbLocal.java into local/java/prebuilt (needs a JDK).',
  options: {},
});
const staging = join(PREBUILT_LAUNCHER, '..', '.prebuilt-staging');
rmSync(staging, { recursive: true, force: true });
const built = await compiledLauncher(dynamoDbLocalHome(), staging, '11');
// The launcher and its nested classes; a class the source no longer declares does not stay behind.
for (const stale of readdirSync(PREBUILT_LAUNCHER).filter((name) => name.endsWith('.class')))
  rmSync(join(PREBUILT_LAUNCHER, stale));
for (const compiled of readdirSync(built).filter((name) => name.endsWith('.class')))
  cpSync(join(built, compiled), join(PREBUILT_LAUNCHER, compiled));
writeFileSync(join(PREBUILT_LAUNCHER, 'source.sha256'), `${sourceHash()}\n`);
rmSync(staging, { recursive: true, force: true });
console.error(`Rebuilt ${PREBUILT_LAUNCHER} from ${LAUNCHER_SOURCE}`);
