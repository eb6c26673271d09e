// Every mutation the app sends carries an idempotency key, so that a retry after a lost
// answer does not act twice: the gateway answers a repeated key with the first result.
// A key is 128 random bits. The same content sent again after an attempt whose outcome is
// unknown (the network failed) reuses its key; anything else is a new request with a new key.

/** newKey is 128 random bits in base64url (22 characters). */
export function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Attempts hands out the key for each attempt of one form's submissions. */
export class Attempts {
  private last: { body: string; key: string } | null = null;

  /** keyFor is the key to send the given variables with. */
  keyFor(variables: unknown): string {
    const body = JSON.stringify(variables ?? null);
    if (this.last && this.last.body === body) return this.last.key;
    this.last = { body, key: newKey() };
    return this.last.key;
  }

  /** answered says the last attempt got a definite answer: the next one is new. */
  answered(): void {
    this.last = null;
  }
}
