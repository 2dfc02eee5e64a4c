/**
 * Locally there is no sign-in (the server listens on loopback only, like the API). The responder picks a name, which
 * becomes the access key of every request, so the service records it as createdBy / lastModifiedBy
 * (`arn:aws:iam::<account>:user/<name>`), exactly as it records the access key of a CLI user.
 */
const STORAGE_KEY = 'incident-console.responder';
export const DEFAULT_RESPONDER = 'responder';

/** Characters an access key may carry in a SigV4 `Credential=` field without confusing the parser. */
export const responderNameProblem = (name: string): string | undefined => {
  if (name.length === 0) return 'Enter a name.';
  if (name.length > 64) return 'Use at most 64 characters.';
  if (!/^[A-Za-z0-9._@+=-]+$/.test(name)) return 'Use letters, digits and . _ @ + = - only (no spaces).';
  return undefined;
};

export function storedResponderName(): string {
  try {
    const name = localStorage.getItem(STORAGE_KEY);
    return name && !responderNameProblem(name) ? name : DEFAULT_RESPONDER;
  } catch {
    return DEFAULT_RESPONDER;
  }
}

export function storeResponderName(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // Private browsing without storage: the name lasts for this page only.
  }
}
