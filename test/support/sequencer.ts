/**
 * The order test files start in. Vitest's own order (project by project in alphabetical order, then the slowest of
 * the last run first, or the largest file when there is no last run, as on a fresh CI machine) can start a file that
 * spends a minute waiting late, where it becomes the tail of the run. Here:
 * 1. the files that mostly wait (paging stages coming due in scaled time, across `npm start` restarts) start first,
 *    so their waiting overlaps everything else;
 * 2. then the integration project (most of the run's time), then infra, then unit: the short CPU-bound files fill
 *    the workers at the end.
 * Within each group Vitest's order stands.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files whose time is mostly waiting, not CPU (engagement-resume: about a minute of paging stages). */
const MOSTLY_WAITING = [/[\\/]test[\\/]local[\\/]engagement-resume\.test\.ts$/];

const PROJECT_ORDER = ['integration', 'infra', 'unit'];

const rank = (spec: TestSpecification) =>
  MOSTLY_WAITING.some((pattern) => pattern.test(spec.moduleId)) ? -1 : PROJECT_ORDER.indexOf(spec.project.name);

export default class LongWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: within a rank, Vitest's order stands.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
