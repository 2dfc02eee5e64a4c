/** Where the console's sources and build live (shared by the build script, the local server and the CDK stack). */
import { fileURLToPath } from 'node:url';

export const CONSOLE_SOURCE = fileURLToPath(new URL('./src', import.meta.url));
export const CONSOLE_DIST = fileURLToPath(new URL('./dist', import.meta.url));
