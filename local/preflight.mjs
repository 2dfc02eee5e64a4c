#!/usr/bin/env node
// Checks the prerequisites before `npm start` / `npm test`, and says what to do when one is missing,
// instead of failing later with a stack trace. Plain JavaScript so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** The same check as prebuiltLauncherIsCurrent() in local/java-launcher.ts, which cannot be imported before tsx. */
function prebuiltLauncherIsCurrent() {
  const source = new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url);
  const recorded = new URL('./java/prebuilt/source.sha256', import.meta.url);
  const compiled = new URL('./java/prebuilt/LoopbackDynamoDbLocal.class', import.meta.url);
  if (!existsSync(recorded) || !existsSync(compiled) || !existsSync(source)) return false;
  return readFileSync(recorded, 'utf8').trim() === createHash('sha256').update(readFileSync(source)).digest('hex');
}

const problems = [];
const [major] = process.versions.node.split('.').map(Number);
if (major < 20)
  problems.push(`Node.js ${process.versions.node} is too old: install Node.js 20, 22 or 24 (https://nodejs.org).`);
// Odd majors are short-lived releases nobody tests on: say so, but let them run.
else if (major % 2 === 1)
  console.error(`Node.js ${process.versions.node} is not a tested version (20, 22 and 24 are); continuing.`);

const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
if (java.error || java.status !== 0) {
  problems.push(
    'Java was not found on PATH. DynamoDB Local (the real DynamoDB engine the local runtime and the tests use) needs a Java 17 (or newer) JDK.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless\n' +
      '  macOS (Homebrew): brew install openjdk@17\n' +
      '  Windows: winget install Microsoft.OpenJDK.17',
  );
} else {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${java.stderr}${java.stdout}`);
  const javaMajor = match ? (Number(match[1]) === 1 ? Number(match[2]) : Number(match[1])) : 0;
  if (javaMajor && javaMajor < 17)
    problems.push(`Java ${javaMajor} is too old: DynamoDB Local needs Java 17 or newer.`);
  // The launcher that binds DynamoDB Local to 127.0.0.1 ships compiled (local/java/prebuilt), so a Java runtime is
  // enough; only a launcher source changed since that build needs the JDK's compiler (local/java-launcher.ts).
  const modules = prebuiltLauncherIsCurrent() ? undefined : spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (modules && !java.error && modules.status === 0 && !/^jdk\.compiler@/m.test(modules.stdout))
    problems.push(
      'This Java is a runtime without the compiler (a JRE). DynamoDB Local must listen on 127.0.0.1 only, and binding it\n' +
        'there needs the JDK once, to build a small launcher.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        '  Windows: winget install Microsoft.OpenJDK.17',
    );
}

if (problems.length) {
  const what = process.argv.includes('--for-tests') ? 'the tests' : 'the local Incident Manager';
  console.error(`Cannot start ${what}:\n\n- ${problems.join('\n- ')}\n`);
  process.exit(1);
}
