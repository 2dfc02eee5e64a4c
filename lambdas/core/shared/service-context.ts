/** Where the service runs and who is calling: the values every operation needs besides its input. */
export interface ServiceContext {
  readonly accountId: string;
  readonly region: string;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
}

export interface Caller {
  /** The caller's principal ARN (IAM user or assumed role); recorded as createdBy / lastModifiedBy. */
  readonly principalArn: string;
}

export interface RequestContext extends ServiceContext {
  readonly caller: Caller;
  /** Wall-clock time of the request, epoch milliseconds. */
  readonly now: number;
  /** Reads the clock when a change is applied (see changeTime); default Date.now. Tests may pass their own. */
  readonly clock?: () => number;
}
