// What must never reach a log line, a stored record or a published event: tokens, keys, connection
// strings, passwords, raw claims. The policy is data (reviewable in one place, tested rule by rule);
// `redact` applies it to any value, deeply.

export interface KeyRule {
  /** Why the rule exists (shown in tests and reviews). */
  why: string;
  /** Matched against a property name. */
  key: RegExp;
}

export interface ValueRule {
  why: string;
  /** Matched inside any string; the match is replaced. */
  pattern: RegExp;
  /** Replacement text ($1 etc. allowed, to keep a harmless prefix). */
  replaceWith: string;
}

export const REDACTED = "[redacted]";

/** Property names whose values are dropped whole. Note: `operationKey` is an id, not a secret. */
export const REDACTED_KEYS: readonly KeyRule[] = [
  { why: "OAuth tokens", key: /^(access_?|id_?|refresh_?|bearer_?|sas_?)?token$/i },
  { why: "token-bearing fields by suffix", key: /(access|id|refresh|bearer|sas|auth)_?token$/i },
  { why: "secrets and passwords", key: /(secret|password|passwd|pwd|credentials?)$/i },
  {
    why: "access keys (topic, account, api, shared)",
    key: /(api|access|account|topic|shared|primary|secondary|sas|storage)_?key$/i,
  },
  { why: "signatures", key: /^(sig|signature|sharedaccesssignature)$/i },
  { why: "connection strings", key: /connection_?string$/i },
  {
    why: "HTTP auth headers and cookies",
    key: /^(authorization|aeg-sas-key|aeg-sas-token|cookie|set-cookie|x-ms-authorization)$/i,
  },
  { why: "raw token claims (personal data, token ids)", key: /^claims$/i },
];

/** Secrets recognised by shape, wherever they appear (e.g. inside an error message). */
export const REDACTED_VALUES: readonly ValueRule[] = [
  {
    why: "JSON Web Tokens",
    // The header is base64url JSON, so it starts with eyJ; a token cut short is still caught.
    pattern: /\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g,
    replaceWith: REDACTED,
  },
  {
    why: "Bearer credentials",
    pattern: /\b(Bearer|SharedAccessSignature)\s+[^\s"',;]+/gi,
    replaceWith: `$1 ${REDACTED}`,
  },
  {
    why: "storage account keys and shared access keys in connection strings",
    pattern: /\b(AccountKey|SharedAccessKey|SharedAccessSignature|aeg-sas-key)\s*=\s*[^;\s"']+/gi,
    replaceWith: `$1=${REDACTED}`,
  },
  {
    why: "raw claims inside JSON text (e.g. a poison record's excerpt), even when cut short",
    pattern: /("claims"\s*:\s*)(\{[^{}]*(?:\}|$)|"(?:[^"\\]|\\.)*(?:"|$))/gi,
    replaceWith: `$1"${REDACTED}"`,
  },
  { why: "SAS signatures in URLs", pattern: /([?&]sig=)[^&\s"']+/gi, replaceWith: `$1${REDACTED}` },
];

const MAX_DEPTH = 12;

export function redactString(value: string): string {
  let out = value;
  for (const rule of REDACTED_VALUES) out = out.replace(rule.pattern, rule.replaceWith);
  return out;
}

export function isSecretKey(name: string): boolean {
  return REDACTED_KEYS.some((rule) => rule.key.test(name));
}

/**
 * A copy of `value` with every secret removed. Errors become {name, message}; cycles become "[cycle]".
 * `seen` holds only the objects on the path from the root (ancestors), so an object referenced twice
 * without a cycle (one actor in two places) is copied twice, not lost.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object")
    return typeof value === "bigint" ? value.toString() : value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (seen.has(value)) return "[cycle]";
  seen.add(value);
  try {
    return redactObject(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactObject(value: object, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const statusCode = (value as { statusCode?: unknown }).statusCode;
    return {
      name: value.name,
      message: redactString(value.message),
      ...(code !== undefined ? { code: redact(code, depth + 1, seen) } : {}),
      ...(statusCode !== undefined ? { statusCode } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === "function" || item === undefined) continue;
    out[name] = isSecretKey(name) ? REDACTED : redact(item, depth + 1, seen);
  }
  return out;
}
