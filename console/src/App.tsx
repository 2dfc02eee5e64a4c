/** The console's frame: navigation, who is acting, and the view for the current address. */
import type { ComponentChildren } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { responderNameProblem } from './auth/local.ts';
import { navigate, paths, useLocation } from './router.ts';
import { useSession } from './session.tsx';
import { Link } from './ui/components.tsx';
import { lazyView } from './ui/lazy.tsx';
import { IncidentList } from './views/incidents/IncidentList.tsx';

// The list is in the main bundle; every other view is a chunk loaded when first shown.
const IncidentPage = lazyView(
  () => import('./views/incident/IncidentPage.tsx').then((m) => m.IncidentPage),
  'incident',
);
const PlanList = lazyView(() => import('./views/plans/PlanList.tsx').then((m) => m.PlanList), 'response plans');
const PlanPage = lazyView(() => import('./views/plans/PlanPage.tsx').then((m) => m.PlanPage), 'response plan');
const OnCallPage = lazyView(() => import('./views/oncall/OnCallPage.tsx').then((m) => m.OnCallPage), 'on-call');
const ContactsPage = lazyView(() => import('./views/oncall/ContactsPage.tsx').then((m) => m.ContactsPage), 'contacts');

const NAV = [
  { href: paths.incidents(), label: 'Incidents', matches: ['/incidents', '/incident'] },
  { href: paths.plans(), label: 'Response plans', matches: ['/plans', '/plan'] },
  { href: paths.onCall(), label: 'On-call', matches: ['/on-call'] },
  { href: paths.contacts(), label: 'Contacts', matches: ['/contacts'] },
];

export function App() {
  const location = useLocation();
  const atRoot = location.path === '/' || location.path === '/index.html';
  // The root shows the incident list; its address becomes /incidents so the list's filters have a home.
  useEffect(() => {
    if (atRoot) navigate(paths.incidents(), { replace: true });
  }, [atRoot]);
  const path = atRoot ? '/incidents' : location.path;
  const query = location.query;
  let view = (
    <p>
      There is no page at this address. <Link href={paths.incidents()}>Go to the incidents</Link>.
    </p>
  );
  if (path === '/incidents') view = <IncidentList query={query} />;
  else if (path === '/incident') view = <IncidentPage query={query} />;
  else if (path === '/plans') view = <PlanList />;
  else if (path === '/plan') view = <PlanPage query={query} />;
  else if (path === '/on-call') view = <OnCallPage />;
  else if (path === '/contacts') view = <ContactsPage />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Incident Manager</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.matches.includes(path) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Identity />
      </header>
      <main id="main" tabIndex={-1}>
        <ViewBoundary key={path}>{view}</ViewBoundary>
      </main>
    </>
  );
}

/** A view that throws while rendering says so, instead of leaving a blank page; the navigation keeps working. */
function ViewBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error)
    return (
      <div class="error" role="alert">
        <p>This page failed to display: {error instanceof Error ? error.message : String(error)}</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </div>
    );
  return <>{children}</>;
}

function Identity() {
  const session = useSession();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(session.user.name);
  const problem = responderNameProblem(name);
  if (session.renameResponder && editing)
    return (
      <form
        class="identity"
        onSubmit={(e) => {
          e.preventDefault();
          if (problem) return;
          session.renameResponder?.(name);
          setEditing(false);
        }}
      >
        <label for="responder-name">Your name</label>
        <input
          id="responder-name"
          value={name}
          size={14}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={Boolean(problem)}
          aria-describedby="responder-name-hint"
        />
        <button type="submit" disabled={Boolean(problem)}>
          Save
        </button>
        <span id="responder-name-hint" class={problem ? 'field-error' : 'hint'}>
          {problem ?? 'Recorded as the author of what you do.'}
        </span>
      </form>
    );
  return (
    <div class="identity">
      <span>
        Acting as <strong>{session.user.name}</strong>
        {session.user.readOnly ? ' (read-only)' : ''}
        {session.mode === 'local' ? ' · local' : ''}
      </span>
      {session.renameResponder ? (
        <button type="button" onClick={() => setEditing(true)}>
          Change name
        </button>
      ) : null}
      {session.signOut ? (
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      ) : null}
    </div>
  );
}
