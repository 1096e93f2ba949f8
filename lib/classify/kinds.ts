// Which kind an operation is: a registry of matchers, tried in order (first match wins).
// Order matters only where patterns overlap: the feature actions are listed before the provider
// patterns, although `[^/]+` already keeps `Microsoft.Features/providers/features/…` out of them.
import type { Kind } from "./types";

export interface KindMatcher {
  kind: Exclude<Kind, "other">;
  /** Case-insensitive; group 1 (when present) is the provider namespace. */
  pattern: RegExp;
}

export const KIND_MATCHERS: readonly KindMatcher[] = [
  { kind: "feature-unregister", pattern: /^microsoft\.features\/providers\/features\/unregister\/action$/i },
  { kind: "feature-register", pattern: /^microsoft\.features\/providers\/features\/register\/action$/i },
  { kind: "role-assignment-write", pattern: /^microsoft\.authorization\/roleassignments\/write$/i },
  { kind: "role-assignment-delete", pattern: /^microsoft\.authorization\/roleassignments\/delete$/i },
  { kind: "provider-unregister", pattern: /^([^/]+)\/unregister\/action$/i },
  { kind: "provider-register", pattern: /^([^/]+)\/register\/action$/i },
];

export interface KindMatch {
  kind: Kind;
  /** Namespace from the operation name (provider kinds), as received. */
  namespace: string | null;
}

export function matchKind(operationName: string): KindMatch {
  const op = operationName.trim();
  for (const { kind, pattern } of KIND_MATCHERS) {
    const m = pattern.exec(op);
    if (m) return { kind, namespace: m[1] ?? null };
  }
  return { kind: "other", namespace: null };
}

/**
 * The feature a Microsoft.Features action targets, from the resource id
 * `/subscriptions/{id}/providers/Microsoft.Features/providers/{ns}/features/{name}` (any casing,
 * optionally followed by `/register` or `/unregister` as in the REST path).
 */
const FEATURE_ID =
  /\/providers\/microsoft\.features\/providers\/([^/]+)\/features\/([^/]+)(?:\/(?:un)?register)?\/?$/i;

export function featureFromResourceId(resourceId: string | null): { namespace: string; name: string } | null {
  if (!resourceId) return null;
  const m = FEATURE_ID.exec(resourceId.trim());
  if (!m || !m[1] || !m[2]) return null;
  return { namespace: m[1], name: m[2] };
}
