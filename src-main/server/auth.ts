import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh secret for one server start: 24 random bytes, URL-safe. */
export function createToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function cookieName(port: number): string {
  // One name per port, so two servers on one machine do not overwrite each other's cookie.
  return `vssl_token_${port}`;
}

/** Constant-time comparison; hashing first hides the expected length as well. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface PresentedTokens {
  cookie: string | null;
  bearer: string | null;
  query: string | null;
}

/** Every place a request may carry the token: cookie, `Authorization: Bearer`, `?token=`. */
export function presentedTokens(req: IncomingMessage, url: URL, port: number): PresentedTokens {
  const auth = req.headers.authorization;
  const bearer = auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : null;
  return {
    cookie: cookieValue(req.headers.cookie, cookieName(port)),
    bearer,
    query: url.searchParams.get('token'),
  };
}

/** True when any presented token matches: a stale cookie must not hide a fresh `?token=`. */
export function isAuthorised(tokens: PresentedTokens, expected: string): boolean {
  let ok = false;
  for (const candidate of [tokens.cookie, tokens.bearer, tokens.query]) {
    // Compare every candidate so timing does not say which one was right.
    if (candidate !== null && tokensEqual(candidate, expected)) ok = true;
  }
  return ok;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
