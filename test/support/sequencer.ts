/**
 * The order test files start in. Vitest's own order (project by project, then the slowest of the last run first, or
 * the largest file when there is no last run, as on a fresh CI machine) would start the integration files that spend
 * most of their time waiting (on `npm start` processes, browsers, paging stages in scaled time) last, in the
 * alphabetical order of project names; one of them starting late is then the tail of the run. Here the integration
 * project goes first, its process-level tests (test/local/, test/console/) ahead of it, and the CPU-bound infra and
 * unit files fill the workers while those wait.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const rank = (spec: TestSpecification) => {
  if (spec.project.name !== 'integration') return spec.project.name === 'infra' ? 2 : 3;
  return /[\\/]test[\\/](local|console)[\\/]/.test(spec.moduleId) ? 0 : 1;
};

export default class LongWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: within a rank, Vitest's order stands.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
