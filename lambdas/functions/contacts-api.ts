/** Deployed entry point of the ssm-contacts function: its dependencies are built once, at module scope. */
import { createContactsApiHandler } from '#handlers/contacts-api.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createContactsApiHandler(rootFromEnvironment());
