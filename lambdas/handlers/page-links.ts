/**
 * Acknowledge links (`GET /ack?t=...` shows a confirmation, its form's `POST /ack` acknowledges): the one
 * unauthenticated route of the API, where the signed token is the only credential (core ack-links.ts). In AWS it is
 * its own function behind two routes without SigV4 (lib/constructs/acknowledge-links.ts), with a role that can read
 * pages and record acknowledgements but sign nothing; locally the local server routes `/ack` here.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ACKNOWLEDGE_LINK_PATH } from '#core/contacts/engagements/ack-links.ts';
import { withEngagements } from '#core/contacts/engagements/engine.ts';
import { acknowledgeByLink, viewAcknowledgeLink } from '#core/contacts/engagements/responder-acknowledgements.ts';
import { ACKNOWLEDGE_PAGE_HEADERS, acknowledgePage, escapeHtml } from '#http/acknowledge-page.ts';
import { logger } from '#runtime/logger.ts';
import { acknowledgeLinksOf, contactsOf, pageContentOf } from '#runtime/paging.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type PageLinksHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The form's body (`t=<token>`), plain or base64 as API Gateway may pass it. */
const formToken = (event: APIGatewayProxyEventV2) => {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  return new URLSearchParams(raw).get('t') ?? '';
};

export function createPageLinksHandler(root: CompositionRoot): PageLinksHandler {
  const serve = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext.http.method.toUpperCase();
    const links = acknowledgeLinksOf(root);
    const html = (statusCode: number, body: string, headers: Record<string, string> = {}) => ({
      statusCode,
      headers: { ...ACKNOWLEDGE_PAGE_HEADERS, ...headers },
      body,
    });
    if (!links) {
      logger.error('acknowledge links are not configured for this function (ACKNOWLEDGE_LINK_URL and its key)');
      return html(503, '<!doctype html><title>Unavailable</title><p>Acknowledge links are not available.</p>');
    }
    if (method !== 'GET' && method !== 'POST')
      return html(405, '<!doctype html><title>Method not allowed</title><p>Method not allowed.</p>', {
        allow: 'GET, POST',
      });
    const deps = withEngagements(contactsOf(root));
    const now = Date.now();
    const options = {
      now,
      linkMinutes: links.minutes,
      ...(pageContentOf(root).consoleUrl ? { consoleUrl: pageContentOf(root).consoleUrl } : {}),
    };
    if (method === 'GET') {
      const token = event.queryStringParameters?.t ?? '';
      let view = await viewAcknowledgeLink(deps, links, token, now);
      // Back from our own POST (`done=1`): show "Acknowledged", not "already acknowledged".
      if (event.queryStringParameters?.done === '1' && view.state === 'already-acknowledged')
        view = { ...view, state: 'acknowledged' };
      const page = acknowledgePage(view, { ...options, token });
      return html(page.statusCode, page.body);
    }
    const token = formToken(event);
    const ctx = { ...root.service, caller: { principalArn: 'acknowledge-link' }, now };
    const view = await acknowledgeByLink(deps, ctx, links, token);
    logger.info('acknowledge link used', {
      outcome: view.state,
      ...('page' in view ? { pageArn: view.page.arn } : {}),
    });
    if (view.state === 'acknowledged' || view.state === 'already-acknowledged') {
      // Post/redirect/get: a reload shows the outcome instead of posting again.
      const location = `${ACKNOWLEDGE_LINK_PATH}?${new URLSearchParams({ t: token, ...(view.state === 'acknowledged' ? { done: '1' } : {}) })}`;
      return html(303, `<!doctype html><a href="${escapeHtml(location)}">Continue</a>`, { location });
    }
    const page = acknowledgePage(view, { ...options, token });
    return html(page.statusCode, page.body);
  };
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(root.observability.middlewares())
    .handler(serve);
}
