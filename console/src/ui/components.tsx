/**
 * Small building blocks. Every piece of text from the API is rendered as a Preact text child (never as HTML), so
 * an incident title like `<img src=x onerror=alert(1)>` shows as those characters.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/errors.ts';
import { linkClick } from '../router.ts';
import { formatDuration, formatTime, IMPACT_WORDS } from './format.ts';

/** An in-app link: a real anchor (open in a new tab works), navigating in place on a plain click. */
export function Link({ href, ...rest }: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a href={href} {...rest} onClick={linkClick} />;
}

/** An API error in words, announced to screen readers, next to whatever caused it. */
export function ErrorNote({ error, context }: { error: unknown; context?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {context ? `${context}: ` : ''}
      {errorText(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ImpactBadge({ impact }: { impact: number | undefined }) {
  return (
    <span class={`impact impact-${impact ?? 'unknown'}`} title={`Impact ${impact ?? 'unknown'}`}>
      <span class="impact-number">{impact ?? '?'}</span> {impact ? IMPACT_WORDS[impact] : 'Unknown'}
    </span>
  );
}

export function StatusBadge({ status }: { status: string | undefined }) {
  return (
    <span class={`status status-${(status ?? 'unknown').toLowerCase()}`}>
      {status === 'OPEN' ? 'Open' : status === 'RESOLVED' ? 'Resolved' : (status ?? 'Unknown')}
    </span>
  );
}

export function Time({ date, seconds }: { date: Date | undefined; seconds?: boolean }) {
  if (!date) return <span>—</span>;
  return <time dateTime={date.toISOString()}>{formatTime(date, seconds)}</time>;
}

export function Duration({ from, to }: { from: Date | undefined; to?: Date | undefined }) {
  const now = useNow(to ? undefined : 30_000);
  if (!from) return <span>—</span>;
  return <span>{formatDuration((to ?? now).getTime() - from.getTime())}</span>;
}

/** The current time, re-read every `everyMs` (for durations of open incidents). */
export function useNow(everyMs: number | undefined): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Runs `load` when `deps` change and on reload(); keeps the last data while reloading so views do not flicker. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
    // deps are the caller's: `load` is re-created on every render and must not re-run on its own.
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run };
}

/** A button that runs an async action, disables itself meanwhile and shows the action's error beside it. */
export function ActionButton(props: {
  onAction: () => Promise<unknown>;
  children: ComponentChildren;
  class?: string;
  disabled?: boolean;
  title?: string;
  confirm?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const click = async () => {
    if (props.confirm && !window.confirm(props.confirm)) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onAction();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="action">
      <button
        type="button"
        class={props.class}
        disabled={busy || props.disabled}
        title={props.title}
        onClick={click}
        aria-busy={busy}
      >
        {props.children}
      </button>
      <ErrorNote error={error} />
    </span>
  );
}

/** A labelled form field with its error (from the API, by field path) announced and linked to the control. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (attrs: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ');
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        ...(props.error ? { 'aria-invalid': true } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** Raw JSON folded away by default (alarm payloads, metric definitions), shown as text. */
export function Folded({ summary, text }: { summary: string; text: string }) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: show as sent.
  }
  return (
    <details class="folded">
      <summary>{summary}</summary>
      <pre>{pretty}</pre>
    </details>
  );
}
