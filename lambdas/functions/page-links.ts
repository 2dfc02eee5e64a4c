/** Deployed entry point of the acknowledge links (`GET`/`POST /ack`): its dependencies are built once, at module scope. */
import { createPageLinksHandler } from '#handlers/page-links.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createPageLinksHandler(rootFromEnvironment());
