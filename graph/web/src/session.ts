// Signing in exchanges a token for a browser session: the gateway answers with an
// HttpOnly cookie that scripts never see, sent with every request of this site's pages
// (and no other site's). The token itself is not kept anywhere in the browser.

export interface SignedIn {
  role: 'ADMIN' | 'COORDINATOR' | 'ASSOCIATION';
  expiresAt: string;
}

/** SignInError carries the GraphQL error code the gateway refused with. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** reason, when the gateway gave one, says more than the code (KEY_RENEWED). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export async function signIn(token: string): Promise<SignedIn> {
  let resp: Response;
  try {
    resp = await fetch('/auth/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: token.trim() }),
    });
  } catch {
    throw new SignInError('NETWORK', 'the server could not be reached');
  }
  const body = (await resp.json().catch(() => null)) as
    (SignedIn & { errors?: { message: string; extensions?: { code?: string; reason?: string } }[] }) | null;
  if (!resp.ok || !body || body.errors) {
    const e = body?.errors?.[0];
    throw new SignInError(e?.extensions?.code ?? 'INTERNAL', e?.message ?? resp.statusText, e?.extensions?.reason);
  }
  return body;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/session', { method: 'DELETE', credentials: 'same-origin' });
}
