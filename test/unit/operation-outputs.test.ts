/**
 * The responses' contract, checked by the compiler (`npm run typecheck`, `npx tsc --noEmit`): each ssm-incidents and
 * ssm-contacts operation returns its output as the official SDK types it, in wire form (epoch seconds for Date, no
 * $metadata), with no member the SDK does not know, at any depth (a misspelt optional member would otherwise slip
 * through, as TypeScript does not check excess members of a returned object against the contextual type). The
 * analysis API is ours: its typed client (lib/client) and the core's operations must agree both ways.
 * The runtime checks below keep the type maps and the served operations in step with the SDK packages.
 */
import * as contactsSdk from '@aws-sdk/client-ssm-contacts';
import * as incidentsSdk from '@aws-sdk/client-ssm-incidents';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ANALYSIS_OPERATIONS } from '#core/analysis/api.ts';
import { CONTACTS_OPERATIONS } from '#core/contacts/api.ts';
import type { ContactsOutputs } from '#core/contacts/operation.ts';
import { INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import type { IncidentsOutputs } from '#core/incidents/operation.ts';
import type { ResponseBody, Wire } from '#core/shared/wire.ts';
import type { AnalysisOperations } from '../../lib/client/analysis-operations.ts';

type Returned<Operation> = Operation extends (...args: never[]) => Promise<infer Output> ? Output : never;

/** The members of any of a union's types (a union of SDK shapes, or of our wire views), and their types. */
type MemberOf<Shape> = Shape extends unknown ? keyof Shape : never;
type TypeAt<Shape, Key> = Shape extends unknown ? (Key extends keyof Shape ? Shape[Key] : never) : never;

/** The paths of the members `Actual` has and `Expected` has not, at any depth; never when there is none. */
type ExtraMembers<Actual, Expected, Path extends string = 'output'> = unknown extends Expected
  ? never // the contract takes anything here (a JSON document)
  : Actual extends readonly (infer Item)[]
    ? ExtraMembers<Item, Expected extends readonly (infer ExpectedItem)[] ? ExpectedItem : never, `${Path}[]`>
    : Actual extends object
      ? string extends keyof Actual
        ? // a map (tags, a rotation's coverage by day): its values are checked, not its keys
          ExtraMembers<Actual[keyof Actual], Exclude<TypeAt<Expected, MemberOf<Expected>>, undefined>, `${Path}.*`>
        : {
            [Key in keyof Actual & string]-?: Key extends MemberOf<Expected>
              ? ExtraMembers<Actual[Key], Exclude<TypeAt<Expected, Key>, undefined>, `${Path}.${Key}`>
              : `${Path}.${Key}`;
          }[keyof Actual & string]
      : never;

/** Per operation: never when it returns what the contract says, else why not. */
type Drift<Table, Contract> = {
  [Name in keyof Contract]-?: Name extends keyof Table
    ? [Returned<Table[Name]>] extends [Contract[Name]]
      ? ExtraMembers<Returned<Table[Name]>, Contract[Name]>
      : 'not assignable to the contract'
    : 'no operation';
};
/** Compiles only when nothing drifted; the compiler's error names the operation and the member's path. */
const expectNoDrift = <_Drift extends { [Name in keyof _Drift]: never }>() => undefined;

const commandsOf = (sdk: object) =>
  Object.keys(sdk)
    .filter((name) => /^[A-Z][A-Za-z]+Command$/.test(name))
    .map((name) => name.slice(0, -'Command'.length))
    .sort();

describe('the wire form of an SDK output type', () => {
  it('has epoch seconds for Date, no $metadata, and only the members a server sends in unions', () => {
    type Sdk = {
      $metadata: { requestId?: string };
      time: Date | undefined;
      items: { at?: Date; tags: Record<string, string> }[];
      value: { arn: string; $unknown?: never } | { arn?: never; $unknown: [string, unknown] };
    };
    expectTypeOf<Wire<Sdk>>().toEqualTypeOf<{
      time: number | undefined;
      items: { at?: number; tags: Record<string, string> }[];
      value: { arn: string; $unknown?: never };
    }>();
    expectTypeOf<ResponseBody<Wire<{ $metadata: object }>>>().toEqualTypeOf<undefined>();
  });

  it('catches a member the contract does not have, however deep', () => {
    type Contract = { list: { a?: number }[]; nextToken?: string };
    expectTypeOf<ExtraMembers<{ list: { a: number }[]; nextToken: string }, Contract>>().toEqualTypeOf<never>();
    expectTypeOf<ExtraMembers<{ list: { a: number; b: string }[] }, Contract>>().toEqualTypeOf<'output.list[].b'>();
    expectTypeOf<ExtraMembers<{ list: []; next_token: string }, Contract>>().toEqualTypeOf<'output.next_token'>();
  });
});

describe('ssm-incidents operation outputs', () => {
  it('are the SDK output types, member for member', () => {
    type Contract = { [Name in keyof IncidentsOutputs]: ResponseBody<IncidentsOutputs[Name]> };
    expectNoDrift<Drift<typeof INCIDENTS_OPERATIONS, Contract>>();
  });

  it('are typed for every command of the SDK, and each is served', () => {
    expectTypeOf<keyof typeof INCIDENTS_OPERATIONS>().toEqualTypeOf<keyof IncidentsOutputs>();
    expect(Object.keys(INCIDENTS_OPERATIONS).sort()).toEqual(commandsOf(incidentsSdk));
  });
});

describe('ssm-contacts operation outputs', () => {
  it('are the SDK output types, member for member', () => {
    expectNoDrift<Drift<typeof CONTACTS_OPERATIONS, ContactsOutputs>>();
  });

  it('are typed for every command of the SDK, and each is served', () => {
    expectTypeOf<keyof typeof CONTACTS_OPERATIONS>().toEqualTypeOf<keyof ContactsOutputs>();
    expect(Object.keys(CONTACTS_OPERATIONS).sort()).toEqual(commandsOf(contactsSdk));
  });
});

describe('the analysis API', () => {
  /** What lib/client's types promise, by operation name (the method is the name in camelCase), in wire form. */
  type ClientOutputs = {
    [Name in keyof typeof ANALYSIS_OPERATIONS]: Wire<
      Awaited<ReturnType<AnalysisOperations[Uncapitalize<Name> & keyof AnalysisOperations]>>
    >;
  };
  /**
   * Like the SDKs, the client does not promise that a member it types as required is present (`Date | undefined`):
   * the core's views are built with `seconds(millis)`, `number | undefined`.
   */
  type AsTheSdkTypesOutputs<T> = T extends readonly (infer Item)[]
    ? AsTheSdkTypesOutputs<Item>[]
    : T extends object
      ? { [Key in keyof T]: AsTheSdkTypesOutputs<T[Key]> | undefined }
      : T;
  type Contract = { [Name in keyof ClientOutputs]: AsTheSdkTypesOutputs<ClientOutputs[Name]> };
  type CoreOutputs = { [Name in keyof typeof ANALYSIS_OPERATIONS]: Returned<(typeof ANALYSIS_OPERATIONS)[Name]> };

  it("returns what lib/client's types promise, member for member", () => {
    expectNoDrift<Drift<typeof ANALYSIS_OPERATIONS, Contract>>();
  });

  it('has client types promising no member the core does not return', () => {
    expectNoDrift<{ [Name in keyof CoreOutputs]: ExtraMembers<ClientOutputs[Name], CoreOutputs[Name]> }>();
  });

  it('has a client method for every operation', () => {
    expectTypeOf<
      Exclude<Uncapitalize<keyof typeof ANALYSIS_OPERATIONS>, keyof AnalysisOperations>
    >().toEqualTypeOf<never>();
  });
});
