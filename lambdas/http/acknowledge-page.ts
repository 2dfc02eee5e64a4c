/**
 * The small HTML pages of acknowledge links: a confirmation with one button (a form POST, no script: link scanners
 * that open links, even those that run scripts, never acknowledge), and the outcome. Everything shown is escaped, the
 * token travels only in the query string and the form, and responses are never cached or indexed.
 */

import { ago, consoleIncidentUrl, impactWords } from '#core/contacts/engagements/messages.ts';
import type { LinkView } from '#core/contacts/engagements/responder-acknowledgements.ts';
import { pageTopic } from '#core/contacts/engagements/responder-acknowledgements.ts';

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Security headers of every acknowledge-link response. */
export const ACKNOWLEDGE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#16191f}
h1{font-size:1.3rem}.what{border-left:4px solid #d13212;padding:.25rem .75rem;background:#fdf3f1}
button{font-size:1.1rem;padding:.7rem 1.4rem;background:#0972d3;color:#fff;border:0;border-radius:4px;cursor:pointer}
.note{color:#5f6b7a;font-size:.9rem}`;

const layout = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;

function describePage(view: Extract<LinkView, { page: unknown }>, now: number): string {
  const { page } = view;
  const incident = page.incident;
  const lines = [`<p><strong>${escapeHtml(pageTopic(page))}</strong></p>`];
  if (incident)
    lines.push(
      `<p>Impact ${incident.impact} (${escapeHtml(impactWords(incident.impact))}), opened ${escapeHtml(ago(now - incident.creationTime))}.</p>`,
    );
  lines.push(`<p class="note">Page for ${escapeHtml(page.contactAlias)} from ${escapeHtml(page.sender)}.</p>`);
  return `<div class="what">${lines.join('')}</div>`;
}

const consoleLink = (view: Extract<LinkView, { page: unknown }>, consoleUrl: string | undefined) =>
  consoleUrl && view.page.incidentId
    ? `<p><a href="${escapeHtml(consoleIncidentUrl(consoleUrl, view.page.incidentId))}">Open the incident in the console</a></p>`
    : '';

/** The HTML page for a link's state; `token` is needed for the confirmation form only. */
export function acknowledgePage(
  view: LinkView,
  options: { token: string; now: number; consoleUrl?: string; linkMinutes: number },
): { statusCode: number; body: string } {
  const { now, consoleUrl } = options;
  switch (view.state) {
    case 'invalid':
      return {
        statusCode: 400,
        body: layout(
          'Link not valid',
          '<h1>This acknowledge link is not valid</h1><p>It may have been cut or changed. Acknowledge with the code from the page: reply to the SMS, or enter it in the console.</p>',
        ),
      };
    case 'expired':
      return {
        statusCode: 410,
        body: layout(
          'Link expired',
          `<h1>This acknowledge link has expired</h1><p>Links work for ${options.linkMinutes} minutes. Acknowledge with the code from the page: reply to the SMS, or enter it in the console${consoleUrl ? ` (<a href="${escapeHtml(consoleUrl)}">open the console</a>)` : ''}.</p>`,
        ),
      };
    case 'not-found':
      return {
        statusCode: 404,
        body: layout('Page not found', '<h1>This page no longer exists</h1><p>Nothing to acknowledge.</p>'),
      };
    case 'confirm':
      return {
        statusCode: 200,
        body: layout(
          'Acknowledge the page',
          `<h1>Acknowledge this page?</h1>${describePage(view, now)}${
            view.stopped
              ? `<p class="note">Paging for it has already stopped (${escapeHtml(view.engagement?.stopReason ?? 'stopped')}). You can still record that you saw it.</p>`
              : ''
          }<form method="post"><input type="hidden" name="t" value="${escapeHtml(options.token)}"><button type="submit">Acknowledge</button></form>${consoleLink(view, consoleUrl)}`,
        ),
      };
    case 'acknowledged':
      return {
        statusCode: 200,
        body: layout(
          'Acknowledged',
          `<h1>Acknowledged</h1>${describePage(view, now)}<p>${
            view.stopped
              ? 'Recorded. Paging for it had already stopped.'
              : 'You will not be paged again for it. Your acknowledgement is on the incident timeline.'
          }</p>${consoleLink(view, consoleUrl)}`,
        ),
      };
    case 'already-acknowledged':
      return {
        statusCode: 200,
        body: layout(
          'Already acknowledged',
          `<h1>Already acknowledged</h1>${describePage(view, now)}<p>This page was acknowledged ${
            view.page.readTime !== undefined ? escapeHtml(ago(now - view.page.readTime)) : 'before'
          }. Nothing more to do.</p>${consoleLink(view, consoleUrl)}`,
        ),
      };
  }
}
