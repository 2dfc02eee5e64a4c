/**
 * Engagements: who was paged for this incident, when, on which channel (receipts), who acknowledged; stop an
 * engagement, acknowledge a page with the code it carried, engage another contact.
 */
import {
  AcceptPageCommand,
  type Engagement,
  ListContactsCommand,
  ListEngagementsCommand,
  ListPageReceiptsCommand,
  ListPagesByEngagementCommand,
  type Page,
  type Receipt,
  StartEngagementCommand,
  StopEngagementCommand,
} from '@aws-sdk/client-ssm-contacts';
import { useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Field, Loading, Time, useAsync } from '../../../ui/components.tsx';
import { lastSegment } from '../../../ui/format.ts';
import type { IncidentTabProps } from './registry.ts';

interface PageView {
  page: Page;
  receipts: Receipt[];
}

interface EngagementView {
  engagement: Engagement;
  pages: PageView[];
}

const RECEIPT_WORDS: Record<string, string> = {
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'acknowledged',
  ERROR: 'failed',
  STOP: 'stopped',
};

export function EngagementsTab({ data }: IncidentTabProps) {
  const { clients, user } = useSession();
  const engagements = useAsync(async (): Promise<EngagementView[]> => {
    const list: Engagement[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.contacts.send(
        new ListEngagementsCommand({ IncidentId: data.arn, MaxResults: 100, NextToken: nextToken }),
      );
      list.push(...(page.Engagements ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return Promise.all(
      list.map(async (engagement) => {
        const { Pages = [] } = await clients.contacts.send(
          new ListPagesByEngagementCommand({ EngagementId: engagement.EngagementArn }),
        );
        const pages = await Promise.all(
          Pages.map(async (page) => {
            const { Receipts = [] } = await clients.contacts.send(
              new ListPageReceiptsCommand({ PageId: page.PageArn }),
            );
            return { page, receipts: Receipts };
          }),
        );
        return { engagement, pages };
      }),
    );
  }, [clients, data.arn]);

  const list = engagements.data;
  const engaged = list?.filter((e) => !e.engagement.StopTime).length ?? 0;
  return (
    <div>
      <div class="page-head">
        <p class="meta" aria-live="polite">
          {list ? `${list.length} engagement${list.length === 1 ? '' : 's'}, ${engaged} still paging` : ''}
        </p>
        <button type="button" onClick={() => void engagements.reload()} disabled={engagements.loading}>
          Refresh
        </button>
      </div>
      <ErrorNote error={engagements.error} context="Could not list the engagements" />
      {!list && engagements.loading ? <Loading what="engagements" /> : null}
      {list && list.length === 0 ? <p class="empty">Nobody has been engaged for this incident.</p> : null}
      {list?.map(({ engagement, pages }) => (
        <section
          class="panel engagement"
          key={engagement.EngagementArn}
          aria-label={`Engagement of ${lastSegment(engagement.ContactArn ?? '')}`}
        >
          <h2>{lastSegment(engagement.ContactArn ?? '')}</h2>
          <p class="meta">
            Engaged <Time date={engagement.StartTime} seconds /> by {engagement.Sender}
            {engagement.StopTime ? (
              <>
                {' '}
                · ended <Time date={engagement.StopTime} seconds />
              </>
            ) : (
              ' · paging'
            )}
          </p>
          {engagement.StopTime || user.readOnly ? null : (
            <ActionButton
              confirm="Stop paging this contact for the incident?"
              onAction={async () => {
                await clients.contacts.send(
                  new StopEngagementCommand({
                    EngagementId: engagement.EngagementArn,
                    Reason: `Stopped in the console by ${user.name}`,
                  }),
                );
                await engagements.reload();
              }}
            >
              Stop engagement
            </ActionButton>
          )}
          {pages.length === 0 ? (
            <p class="empty">No page sent yet (escalation stages send pages as they start).</p>
          ) : null}
          <ul class="pages">
            {pages.map((view) => (
              <PageItem key={view.page.PageArn} view={view} onChange={engagements.reload} />
            ))}
          </ul>
        </section>
      ))}
      {user.readOnly ? null : <EngageContact data={data} onEngaged={engagements.reload} />}
    </div>
  );
}

function PageItem({ view, onChange }: { view: PageView; onChange: () => Promise<void> }) {
  const { clients, user } = useSession();
  const { page, receipts } = view;
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const contact = lastSegment(page.ContactArn ?? '');
  const acknowledge = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await clients.contacts.send(
        new AcceptPageCommand({
          PageId: page.PageArn,
          AcceptType: 'READ',
          AcceptCode: code.trim(),
          // The code proves the person read the page; without ENFORCE the service would accept any code.
          AcceptCodeValidation: 'ENFORCE',
          Note: `Acknowledged in the console by ${user.name}`,
        }),
      );
      setCode('');
      await onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const codeId = `ack-${lastSegment(page.PageArn ?? '')}`;
  return (
    <li class="page-item">
      <p>
        Page to <strong>{contact}</strong> sent <Time date={page.SentTime} seconds />
        {page.ReadTime ? (
          <>
            {' '}
            · <span class="ok">acknowledged</span> <Time date={page.ReadTime} seconds />
          </>
        ) : (
          ' · not acknowledged'
        )}
      </p>
      {receipts.length ? (
        <ul class="receipts" aria-label="Receipts">
          {receipts.map((receipt, index) => (
            <li key={`${receipt.ReceiptType}-${index}`}>
              <Time date={receipt.ReceiptTime} seconds />{' '}
              {RECEIPT_WORDS[receipt.ReceiptType ?? ''] ?? receipt.ReceiptType}
              {receipt.ContactChannelArn ? ` on channel ${lastSegment(receipt.ContactChannelArn)}` : ''}
              {receipt.ReceiptInfo ? ` — ${receipt.ReceiptInfo}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {page.ReadTime || user.readOnly ? null : (
        <form class="inline-form" onSubmit={acknowledge} aria-label={`Acknowledge the page to ${contact}`}>
          <Field
            id={codeId}
            label="Acknowledgement code"
            error={error && fieldOf(error) ? fieldMessage(error) : undefined}
          >
            {(attrs) => (
              <input
                {...attrs}
                inputMode="numeric"
                autoComplete="one-time-code"
                size={8}
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={busy || !code.trim()}>
            Acknowledge
          </button>
          {error && !fieldOf(error) ? <ErrorNote error={error} context="Not acknowledged" /> : null}
        </form>
      )}
    </li>
  );
}

function EngageContact({ data, onEngaged }: IncidentTabProps & { onEngaged: () => Promise<void> }) {
  const { clients, user } = useSession();
  const contacts = useAsync(async () => {
    const { Contacts = [] } = await clients.contacts.send(new ListContactsCommand({ MaxResults: 100 }));
    return Contacts;
  }, [clients]);
  const [contact, setContact] = useState('');
  const incident = data.incident.data!;
  if (!contacts.data?.length) return null;
  return (
    <div class="inline-form engage">
      <label for="engage-contact">Engage another contact</label>
      <select id="engage-contact" value={contact} onChange={(e) => setContact(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {contacts.data.map((c) => (
          <option value={c.ContactArn} key={c.ContactArn}>
            {c.DisplayName ? `${c.DisplayName} (${c.Alias})` : c.Alias}
          </option>
        ))}
      </select>
      <ActionButton
        disabled={!contact}
        onAction={async () => {
          await clients.contacts.send(
            new StartEngagementCommand({
              ContactId: contact,
              Sender: user.name,
              Subject: incident.title ?? 'Incident',
              Content: incident.summary || incident.title || 'Incident',
              PublicSubject: incident.title ?? 'Incident',
              PublicContent: incident.title ?? 'Incident',
              IncidentId: data.arn,
              IdempotencyToken: crypto.randomUUID(),
            }),
          );
          setContact('');
          await onEngaged();
        }}
      >
        Engage
      </ActionButton>
    </div>
  );
}
