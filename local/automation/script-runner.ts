/**
 * `aws:executeScript` with a python3.x runtime: the inline Script runs in a `python3` subprocess, its Handler is called
 * with `(events, context)` (events = InputPayload), and the JSON of its return value becomes the step's `Payload`.
 * An exception, a return value that is not JSON, a timeout or a missing `python3` fail the step with a message that
 * says which. The local runtime's python3 is used whatever minor version the document names.
 */
import { spawn } from 'node:child_process';

/** Read by the wrapper from stdin: runs the script, calls the handler, prints the result after a marker line. */
const WRAPPER = `
import json, sys, traceback
request = json.loads(sys.stdin.read())
namespace = {"__name__": "__ssm_automation__"}
try:
    exec(compile(request["script"], "<script>", "exec"), namespace)
    handler = namespace.get(request["handler"])
    if not callable(handler):
        raise NameError("handler '%s' is not a function defined by the script" % request["handler"])
    result = handler(request["events"], request["context"])
    text = json.dumps(result)
except Exception as error:
    sys.stdout.flush()
    sys.stderr.write(traceback.format_exc())
    sys.stdout.write("\\n__SSM_AUTOMATION_ERROR__" + json.dumps({"type": type(error).__name__, "message": str(error)}))
    sys.exit(1)
sys.stdout.write("\\n__SSM_AUTOMATION_RESULT__" + text)
`;

export interface ScriptRun {
  script: string;
  handler: string;
  events: unknown;
  context: Record<string, unknown>;
  timeoutMs: number;
  /** The interpreter; default `python3` from PATH (LOCAL_PYTHON overrides it). */
  python?: string;
  signal?: AbortSignal;
}

export type ScriptResult =
  | { ok: true; payload: unknown; logs: string }
  | { ok: false; message: string; timedOut?: boolean; logs: string };

/** Largest return value AWS accepts from a script (100 KB). */
const MAX_PAYLOAD_BYTES = 100 * 1024;

export function runPythonScript(run: ScriptRun): Promise<ScriptResult> {
  const python = run.python ?? process.env.LOCAL_PYTHON ?? 'python3';
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: ScriptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const child = spawn(python, ['-c', WRAPPER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({
        ok: false,
        timedOut: true,
        message: `The script ran longer than ${Math.round(run.timeoutMs / 1000)} seconds and was stopped.`,
        logs: stdout,
      });
    }, run.timeoutMs);
    const onAbort = () => {
      child.kill('SIGKILL');
      finish({ ok: false, message: 'The script was stopped because the automation was cancelled.', logs: stdout });
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        message:
          error.code === 'ENOENT'
            ? `aws:executeScript needs ${python} on the PATH of the local runtime, and it was not found. Install Python 3 (or set LOCAL_PYTHON to its path) and run the automation again.`
            : `Could not run ${python}: ${error.message}`,
        logs: '',
      }),
    );
    child.on('close', () => {
      const resultAt = stdout.lastIndexOf('\n__SSM_AUTOMATION_RESULT__');
      const errorAt = stdout.lastIndexOf('\n__SSM_AUTOMATION_ERROR__');
      if (resultAt !== -1) {
        const text = stdout.slice(resultAt + '\n__SSM_AUTOMATION_RESULT__'.length);
        const logs = stdout.slice(0, resultAt);
        if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES)
          return finish({ ok: false, message: 'The script returned more than 100 KB.', logs });
        return finish({ ok: true, payload: JSON.parse(text), logs });
      }
      if (errorAt !== -1) {
        const { type, message } = JSON.parse(stdout.slice(errorAt + '\n__SSM_AUTOMATION_ERROR__'.length));
        const trace = stderr.trim().split('\n').slice(-6).join('\n');
        return finish({
          ok: false,
          message: `${type} - ${message}\nTraceback (most recent call last, last lines):\n${trace}`,
          logs: stdout.slice(0, errorAt),
        });
      }
      finish({ ok: false, message: `python3 exited without a result: ${stderr.trim().slice(-2000)}`, logs: stdout });
    });
    child.stdin.end(
      JSON.stringify({ script: run.script, handler: run.handler, events: run.events ?? {}, context: run.context }),
    );
  });
}
