// Who may read the console (pure): a static token (Authorization: Bearer, the session cookie set
// by a `?token=` exchange) or a header set by a trusted reverse proxy. Without either configured
// the console listens on loopback only (settings.ts) and is open there.
import { timingSafeEqual } from 'node:crypto';
import type { ConsoleSettings } from './settings.ts';

export const TOKEN_COOKIE = 'cs_console_token';

export interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** the `token` query parameter, if any */
  queryToken?: string;
}

export type AuthResult = { ok: true; via: 'open' | 'token' | 'cookie' | 'proxy' | 'query' } | { ok: false };

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function authorize(req: AuthRequest, s: Pick<ConsoleSettings, 'token' | 'authHeader'>): AuthResult {
  if (!s.token && !s.authHeader) return { ok: true, via: 'open' };
  if (s.authHeader && (first(req.headers[s.authHeader]) ?? '').trim() !== '') return { ok: true, via: 'proxy' };
  if (s.token) {
    const bearer = /^Bearer\s+(.+)$/i.exec(first(req.headers.authorization) ?? '')?.[1]?.trim();
    if (bearer && sameSecret(bearer, s.token)) return { ok: true, via: 'token' };
    const cookie = cookieValue(first(req.headers.cookie), TOKEN_COOKIE);
    if (cookie && sameSecret(cookie, s.token)) return { ok: true, via: 'cookie' };
    if (req.queryToken && sameSecret(req.queryToken, s.token)) return { ok: true, via: 'query' };
  }
  return { ok: false };
}
