/**
 * Points an official ssm-contacts client (any @aws-sdk/client-ssm-contacts version) at the per-operation routes
 * (`POST /ssm-contacts/<Operation>`), so that IAM policies allowing single operations apply to it (docs/security.md).
 * It runs at the build step, before the request is signed, and changes only the path: body, headers and
 * `X-Amz-Target` stay as the SDK made them (the service checks that the target names the route's operation), and a
 * base path in the endpoint is kept (`https://host/prod` gives `/prod/ssm-contacts/ListContacts`).
 *
 *   const client = new SSMContactsClient({ endpoint, region, signingName: 'execute-api' } as SSMContactsClientConfig);
 *   usePerOperationRoutes(client);
 *
 * Without it a client calls `POST /`, which only a policy allowing every contacts operation (admin) can reach.
 */
import { CONTACTS_OPERATION_PREFIX } from './routes.ts';

const TARGET_PREFIX = 'SSMContacts.';

type BuildHandler = (args: { request: unknown }) => Promise<unknown>;

/** The slice of an SDK client this needs (its middleware stack), so no SDK package is imported here. */
export interface ClientWithMiddleware {
  // biome-ignore lint/suspicious/noExplicitAny: any SDK client's stack; its add() is overloaded once per step
  middlewareStack: { add(middleware: any, options: any): void };
}

/** The per-operation path for a request that `X-Amz-Target` names, or undefined for anything else. */
export const perOperationPath = (path: string, target: string | undefined): string | undefined =>
  target?.startsWith(TARGET_PREFIX)
    ? `${path.replace(/\/+$/, '')}${CONTACTS_OPERATION_PREFIX}${target.slice(TARGET_PREFIX.length)}`
    : undefined;

export function usePerOperationRoutes<C extends ClientWithMiddleware>(client: C): C {
  client.middlewareStack.add(
    (next: BuildHandler): BuildHandler =>
      async (args) => {
        const request = args.request as { path?: string; headers?: Record<string, string> };
        const headers = request.headers ?? {};
        const name = Object.keys(headers).find((key) => key.toLowerCase() === 'x-amz-target');
        const path = perOperationPath(request.path ?? '/', name ? headers[name] : undefined);
        if (path) request.path = path;
        return next(args);
      },
    { step: 'build', name: 'ssmContactsPerOperationRoutes', override: true },
  );
  return client;
}
