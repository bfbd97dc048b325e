// A small client of the Confluent-compatible schema registry API (Apicurio's /apis/ccompat/v7):
// the four calls the codecs need. Errors name SCHEMA_REGISTRY_URL, the setting behind the base URL.
import { CsError } from './cs-error.ts';

export type RegistryErrorCode =
  /** Not reachable, or a 5xx: retrying later can help. */
  | 'SCHEMA_REGISTRY_UNAVAILABLE'
  /** The registry refused the request (e.g. 409: the schema breaks the subject's compatibility). */
  | 'SCHEMA_REGISTRY_REJECTED';

export class RegistryError extends CsError {
  declare readonly code: RegistryErrorCode;
  constructor(
    code: RegistryErrorCode,
    message: string,
    /** The HTTP status the registry answered with; undefined when it did not answer. */
    readonly status?: number,
    cause?: unknown,
  ) {
    super(code, message, { retriable: code === 'SCHEMA_REGISTRY_UNAVAILABLE', cause });
  }
}

export type CompatibilityLevel = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FULL' | 'NONE';

export class SchemaRegistryClient {
  constructor(
    /** The ccompat base, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
    readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const what = `${method} ${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const why = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new RegistryError('SCHEMA_REGISTRY_UNAVAILABLE', `schema registry at SCHEMA_REGISTRY_URL=${this.baseUrl} is not reachable (${what}: ${why})`, undefined, err);
    }
    const text = await res.text();
    if (!res.ok) {
      const code = res.status >= 500 ? 'SCHEMA_REGISTRY_UNAVAILABLE' : 'SCHEMA_REGISTRY_REJECTED';
      throw new RegistryError(code, `schema registry at SCHEMA_REGISTRY_URL=${this.baseUrl} answered ${res.status} to ${what}: ${text.slice(0, 300)}`, res.status);
    }
    return JSON.parse(text) as T;
  }

  /** Registers `schema` (Avro JSON) under `subject`; the same schema again returns the same id. */
  async register(subject: string, schema: unknown): Promise<number> {
    const r = await this.call<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema), schemaType: 'AVRO' });
    return r.id;
  }

  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const put = () => this.call('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
    try {
      await put();
    } catch (err) {
      // Services starting together (the demo, `run all`, a rollout) race to create the subject's
      // rule, and Apicurio answers the loser 409 "A rule named 'COMPATIBILITY' already exists". The
      // rule exists now: when it is already the level asked for, that is success; else set it again
      // (now an update).
      if (!(err instanceof RegistryError && err.status === 409)) throw err;
      if ((await this.compatibility(subject)) === level) return;
      await put();
    }
  }

  async compatibility(subject: string): Promise<string> {
    const r = await this.call<{ compatibilityLevel?: string; compatibility?: string }>('GET', `/config/${encodeURIComponent(subject)}`);
    return r.compatibilityLevel ?? r.compatibility ?? '';
  }

  /** The writer schema (parsed Avro JSON) an id names; null when the registry has no such id (404). */
  async schemaById(id: number): Promise<unknown> {
    try {
      const r = await this.call<{ schema: string }>('GET', `/schemas/ids/${id}`);
      return JSON.parse(r.schema) as unknown;
    } catch (err) {
      if (err instanceof RegistryError && err.status === 404) return null;
      throw err;
    }
  }
}

/** The topic-name strategy: a topic's values are registered under `<topic>-value`. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}
