// Google configuration: a service-account key (GOOGLE_SERVICE_ACCOUNT_KEY, a path to the JSON key file or the
// JSON itself) and, for tests and private API gateways, GOOGLE_API_ROOT_URL (the googleapis rootUrl option).
import { readFileSync } from 'node:fs';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  /** Where the signed JWT is exchanged for an access token (the key file's own entry is honoured). */
  token_uri?: string;
}

export interface GoogleOptions {
  key: ServiceAccountKey;
  /** googleapis rootUrl ("https://sheets.googleapis.com/" by default). */
  rootUrl?: string;
  /** Delays between attempts when Google answers 429 (quota); defaults 1 s, 2 s, 4 s. */
  retryDelaysMs?: number[];
  /** Emails the exported report is shared with (GOOGLE_EXPORT_SHARE_WITH, comma-separated). */
  shareWith?: string[];
}

/** A configuration problem, said plainly with the variable to fix. */
export class GoogleConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoogleConfigError';
  }
}

export function parseServiceAccountKey(raw: string, from = 'GOOGLE_SERVICE_ACCOUNT_KEY'): ServiceAccountKey {
  let text = raw.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(text, 'utf8');
    } catch (e) {
      // The value itself is never quoted: when it is not a path, it may be the secret.
      throw new GoogleConfigError(
        `${from}: not JSON and not a readable key file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}). Set it to the path of the service account's JSON key, or to the JSON itself.`,
      );
    }
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new GoogleConfigError(
      `${from}: the service-account key is not valid JSON. Download the key again (IAM › Service accounts › Keys › Add key › JSON).`,
    );
  }
  if (json.type !== undefined && json.type !== 'service_account') {
    throw new GoogleConfigError(`${from}: the key is of type "${String(json.type)}", expected "service_account".`);
  }
  for (const field of ['client_email', 'private_key'] as const) {
    if (typeof json[field] !== 'string' || !(json[field] as string).trim())
      throw new GoogleConfigError(`${from}: the key has no "${field}".`);
  }
  return {
    client_email: json.client_email as string,
    private_key: json.private_key as string,
    ...(typeof json.private_key_id === 'string' ? { private_key_id: json.private_key_id } : {}),
    ...(typeof json.project_id === 'string' ? { project_id: json.project_id } : {}),
    ...(typeof json.token_uri === 'string' ? { token_uri: json.token_uri } : {}),
  };
}

/** Options from the environment, or null when Google is not configured (the Sheets features then answer 503). */
export function googleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GoogleOptions | null {
  const raw = env.GOOGLE_SERVICE_ACCOUNT_KEY;
  if (!raw || !raw.trim()) return null;
  const rootUrl = env.GOOGLE_API_ROOT_URL?.trim();
  if (rootUrl && !/^https?:\/\//.test(rootUrl))
    throw new GoogleConfigError(`GOOGLE_API_ROOT_URL: "${rootUrl}" is not an http(s) URL.`);
  const shareWith = (env.GOOGLE_EXPORT_SHARE_WITH ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    key: parseServiceAccountKey(raw),
    ...(rootUrl ? { rootUrl: rootUrl.endsWith('/') ? rootUrl : `${rootUrl}/` } : {}),
    ...(shareWith.length ? { shareWith } : {}),
  };
}
