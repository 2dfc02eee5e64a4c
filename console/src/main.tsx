/**
 * Entry point: reads /config.json, signs in (in AWS) or takes the responder's name (locally), builds the official
 * SDK clients and renders the console. A failure to start is said in words on the page.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { type ComponentChild, render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { App } from './App.tsx';
import { createClients } from './api/clients.ts';
import { errorText } from './api/errors.ts';
import { storedResponderName, storeResponderName } from './auth/local.ts';
import { type ConsoleConfig, type LocalConfig, loadConfig } from './config.ts';
import { type Session, SessionContext } from './session.tsx';

const root = document.getElementById('app')!;

/** Preact diffs against what is in the element: drop the "Loading" placeholder first. */
const mount = (app: ComponentChild) => {
  root.replaceChildren();
  render(app, root);
};

function LocalConsole({ config }: { config: LocalConfig }) {
  const [name, setName] = useState(storedResponderName);
  const session = useMemo<Session>(
    () => ({
      mode: 'local',
      region: config.region,
      accountId: config.accountId,
      clients: createClients({
        endpoint: location.origin,
        region: config.region,
        credentials: { accessKeyId: name, secretAccessKey: 'local' },
        signAsExecuteApi: false,
        ssmEndpoint: location.origin,
        withCloudWatch: false,
      }),
      user: { name, readOnly: false },
      renameResponder: (next) => {
        storeResponderName(next);
        setName(next);
      },
    }),
    [config, name],
  );
  return (
    <SessionContext.Provider value={session}>
      <App />
    </SessionContext.Provider>
  );
}

async function start(config: ConsoleConfig) {
  if (config.mode === 'local') {
    mount(<LocalConsole config={config} />);
    return;
  }
  // Sign-in code (and the Cognito Identity client) is only needed in AWS: a chunk of its own.
  const { signIn } = await import('./auth/cognito.ts');
  const user = await signIn(config);
  const session: Session = {
    mode: 'aws',
    region: config.region,
    clients: createClients({
      endpoint: config.apiUrl,
      region: config.region,
      credentials: user.credentials,
      signAsExecuteApi: true,
      withCloudWatch: true,
    }),
    user: { name: user.name, readOnly: user.groups.includes(config.viewerGroup) },
    signOut: user.signOut,
  };
  mount(
    <SessionContext.Provider value={session}>
      <App />
    </SessionContext.Provider>,
  );
}

loadConfig()
  .then(start)
  .catch((error: unknown) => {
    const message = document.createElement('p');
    message.className = 'error';
    message.setAttribute('role', 'alert');
    message.textContent = `The console could not start: ${errorText(error)}`;
    root.replaceChildren(message);
  });
