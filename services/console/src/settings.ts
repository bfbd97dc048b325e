// The console's own settings (the shared ones come from @cs/runtime's schema): where it listens
// and how it authenticates. The token is a secret: read from the environment or a file, never
// logged, never echoed in an error, never on the command line.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '@cs/runtime';

const consoleShape = z.object({
  CS_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(8088),
  CS_CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  CS_CONSOLE_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  CS_CONSOLE_TOKEN_FILE: z.string().min(1).optional(),
  // A reverse proxy that authenticates users sets this header (e.g. X-Forwarded-User) and strips
  // any copy a client sent; the console then trusts it.
  CS_CONSOLE_AUTH_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name').transform((h) => h.toLowerCase()).optional(),
});

export const CONSOLE_ENV_KEYS: readonly string[] = Object.keys(consoleShape.shape);

export interface ConsoleSettings {
  port: number;
  host: string;
  /** the static token, or null when none is configured */
  token: string | null;
  /** lower-case name of the trusted reverse-proxy header, or null */
  authHeader: string | null;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Parses the console settings; the error names the variable, never its value. */
export function loadConsoleSettings(env: Record<string, string | undefined>, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): ConsoleSettings {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = consoleShape.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? '?'), issue.message);
  }
  const s = parsed.data;
  if (s.CS_CONSOLE_TOKEN && s.CS_CONSOLE_TOKEN_FILE) throw new ConfigError('CS_CONSOLE_TOKEN_FILE', 'set either CS_CONSOLE_TOKEN or CS_CONSOLE_TOKEN_FILE, not both');
  let token = s.CS_CONSOLE_TOKEN ?? null;
  if (s.CS_CONSOLE_TOKEN_FILE) {
    try {
      token = readFile(s.CS_CONSOLE_TOKEN_FILE).trim();
    } catch {
      throw new ConfigError('CS_CONSOLE_TOKEN_FILE', 'cannot read the file');
    }
    if (token.length < 16) throw new ConfigError('CS_CONSOLE_TOKEN_FILE', 'the token in the file must have at least 16 characters');
  }
  const authHeader = s.CS_CONSOLE_AUTH_HEADER ?? null;
  if (!isLoopback(s.CS_CONSOLE_HOST) && !token && !authHeader) {
    throw new ConfigError('CS_CONSOLE_HOST', 'a non-loopback address needs CS_CONSOLE_TOKEN (or CS_CONSOLE_TOKEN_FILE) or CS_CONSOLE_AUTH_HEADER: the console would be open to the network');
  }
  return { port: s.CS_CONSOLE_PORT, host: s.CS_CONSOLE_HOST, token, authHeader };
}
