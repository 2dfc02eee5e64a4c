/** Who is using the console, with which clients: provided once at the top and read by every view. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClients } from './api/clients.ts';

export interface Session {
  mode: 'local' | 'aws';
  region: string;
  /** Account of the incident records (known locally from the config; in AWS read from the first ARN seen). */
  accountId?: string;
  clients: ApiClients;
  user: {
    name: string;
    /** Members of the viewer group: every write would be refused by IAM, so write actions are not offered. */
    readOnly: boolean;
  };
  /** Locally only: choose the name recorded as createdBy / lastModifiedBy. */
  renameResponder?: (name: string) => void;
  signOut?: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionContext');
  return session;
}
