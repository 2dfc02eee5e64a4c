/**
 * `node --import ./test/support/import-recorder.mjs`: appends the URL of every module the process resolves to the
 * file named by IMPORTS_LOG (one a line), so a test can tell what a command loaded before it answered.
 */
import { register } from 'node:module';

register('./import-recorder-hooks.mjs', import.meta.url);
