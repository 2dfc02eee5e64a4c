/**
 * Application class-data sharing (AppCDS) for DynamoDB Local: the JVM maps the classes it loaded in an earlier run
 * from an archive instead of reading, parsing and verifying them from about 120 jars again, which takes roughly a
 * third off the time DynamoDB Local needs to answer (docs/benchmarks.md, "Local start").
 *
 * The archive is written by the JVM itself (-XX:ArchiveClassesAtExit, Java 13+) when the first run exits, into
 * node_modules/.cache/open-incident-manager/java/ (the launcher's cache: a folder of this project, so nobody else on
 * the machine can plant an archive there), and used by every later run (-XX:SharedArchiveFile). The JVM checks that
 * an archive matches its own build and the class path's jars (sizes and times) and ignores one that does not, so a
 * stale or damaged archive costs the speed-up, never the start; the folder's name still changes with the launcher,
 * DynamoDB Local and the Java executable, so an upgrade gets an archive of its own.
 *
 * CDS refuses a class path holding a non-empty directory, and DynamoDBLocal.jar's manifest puts its own folder on
 * the class path (`Class-Path: . DynamoDBLocal_lib/...`). So the class path given here is made of jars only: the
 * launcher class packed in a jar, a copy of DynamoDBLocal.jar whose manifest has no Class-Path, and the library jars
 * listed one by one, which is what that manifest listed.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

const ARCHIVE = 'dynamodb-local.jsa';
const LAUNCHER_JAR = 'launcher.jar';
/** Same file name as the original: tests and the data-folder lock recognise DynamoDB Local's JVM by it. */
const DYNAMODB_LOCAL_JAR = 'DynamoDBLocal.jar';

export interface SharedClasses {
  classPath: string;
  /** JVM options that use the archive, or record one when the JVM exits. */
  jvmOptions: string[];
  /**
   * Call once the JVM has exited: keeps the archive it recorded when it stopped normally, discards it otherwise
   * (a JVM killed with SIGKILL may have left half a file).
   */
  finish(exitedNormally: boolean): void;
}

/** The `java` that `spawn('java')` will run, followed through symbolic links (update-alternatives, Homebrew). */
function javaExecutable(): string {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['java.exe'] : ['java']) {
      const candidate = join(folder, name);
      if (existsSync(candidate)) return realpathSync(candidate);
    }
  }
  return 'java';
}

const fingerprint = (file: string) => {
  const { size, mtimeMs } = statSync(file);
  return `${file}:${size}:${mtimeMs}`;
};

/** DynamoDBLocal.jar with every manifest attribute except Class-Path. */
function jarWithoutClassPath(source: string, target: string): void {
  const entries = unzipSync(readFileSync(source));
  const manifest = entries['META-INF/MANIFEST.MF'];
  if (manifest) {
    // Manifest lines are continued on the next line when it starts with a space.
    const attributes = strFromU8(manifest)
      .replace(/\r?\n /g, '')
      .split(/\r?\n/)
      .filter((line) => line && !/^Class-Path:/i.test(line));
    entries['META-INF/MANIFEST.MF'] = strToU8(`${attributes.map(wrapManifestLine).join('\r\n')}\r\n\r\n`);
  }
  writeFileSync(target, zipSync(entries, { level: 0 }));
}

/** Manifest lines are at most 72 bytes; longer values continue on lines that start with a space. */
function wrapManifestLine(line: string): string {
  const parts = [line.slice(0, 72)];
  for (let at = 72; at < line.length; at += 71) parts.push(` ${line.slice(at, at + 71)}`);
  return parts.join('\r\n');
}

/**
 * A JVM whose parent was killed exits on its own and records its archive with nobody left to keep it: such files
 * (tens of MB) are removed by a later start once they are old enough not to be one still being written.
 */
function removeAbandonedRecordings(folder: string): void {
  const tooOld = Date.now() - 60 * 60_000;
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    if (name.startsWith(`${ARCHIVE}.`) && name.endsWith('.tmp') && statSync(file).mtimeMs < tooOld)
      rmSync(file, { force: true });
  }
}

/** The jars-only class path and the CDS options, preparing the cache folder on first use. */
export function sharedClasses(
  home: string,
  launcherClasses: string,
  launcherClass: string,
  cacheRoot: string,
): SharedClasses {
  const launcherClassFile = join(launcherClasses, `${launcherClass}.class`);
  const originalJar = join(home, DYNAMODB_LOCAL_JAR);
  const key = createHash('sha256')
    .update(readFileSync(launcherClassFile))
    .update(fingerprint(originalJar))
    .update(fingerprint(javaExecutable()))
    .digest('hex')
    .slice(0, 16);
  const folder = join(cacheRoot, `cds-${key}`);
  if (!existsSync(join(folder, DYNAMODB_LOCAL_JAR))) {
    // Prepared next to the target and renamed into place, so concurrent starts never use half-written jars.
    const staging = `${folder}.${process.pid}.tmp`;
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      join(staging, LAUNCHER_JAR),
      zipSync({ [`${launcherClass}.class`]: readFileSync(launcherClassFile) }, { level: 0 }),
    );
    jarWithoutClassPath(originalJar, join(staging, DYNAMODB_LOCAL_JAR));
    try {
      renameSync(staging, folder);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // Another start prepared it first.
    }
  }
  const libraries = join(home, 'DynamoDBLocal_lib');
  const classPath = [
    join(folder, LAUNCHER_JAR),
    join(folder, DYNAMODB_LOCAL_JAR),
    ...readdirSync(libraries)
      .filter((name) => name.toLowerCase().endsWith('.jar'))
      .sort()
      .map((name) => join(libraries, name)),
  ].join(delimiter);

  const archive = join(folder, ARCHIVE);
  // The JVM's CDS messages (classes it cannot archive, an archive it ignores) mean nothing to the person starting it.
  const quiet = ['-Xshare:auto', '-Xlog:cds*=off'];
  if (existsSync(archive))
    return { classPath, jvmOptions: [...quiet, `-XX:SharedArchiveFile=${archive}`], finish: () => undefined };
  removeAbandonedRecordings(folder);
  const recording = join(folder, `${ARCHIVE}.${randomUUID()}.tmp`);
  return {
    classPath,
    jvmOptions: [...quiet, `-XX:ArchiveClassesAtExit=${recording}`],
    finish(exitedNormally) {
      if (!existsSync(recording)) return;
      if (exitedNormally && !existsSync(archive)) {
        try {
          renameSync(recording, archive);
          return;
        } catch {
          // Another run kept its archive first.
        }
      }
      rmSync(recording, { force: true });
    },
  };
}
