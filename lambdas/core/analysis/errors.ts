/** Errors of the analysis API beyond the shared kernel's. */
import { ConflictError } from '#core/shared/errors.ts';

/**
 * An optimistic-lock failure the caller resolves: the request named a version that is no longer current. Still a
 * ConflictException on the wire, with the current version as a member (`currentVersion`) so a client can re-read and
 * re-apply. Not a StaleVersionError: nothing retries it on the caller's behalf.
 */
export class VersionConflictError extends ConflictError {
  constructor(
    message: string,
    resourceIdentifier: string,
    readonly currentVersion: number,
  ) {
    super(message, undefined, resourceIdentifier);
  }
  override modelledMembers() {
    return { ...super.modelledMembers(), currentVersion: this.currentVersion };
  }
}

/** A change to an analysis that its state forbids (a published analysis is read-only but for its action items). */
export const readOnlyAnalysis = (arn: string) =>
  new ConflictError(`Analysis ${arn} is PUBLISHED and read-only; only its action items can change.`, undefined, arn);
