// ActivityEvent -> Classification. Pure: no I/O, no clock, no globals that change.
import { canonicalGuid } from "../config/settings";
import type { ActivityEvent, Actor } from "../events/types";
import { ATTACK_NAMES, attackFor } from "./attack";
import { featureFromResourceId, matchKind } from "./kinds";
import { NAMESPACE_SERVICE, canonicalNamespace, namespaceGroup } from "./namespaces";
import { severityRow } from "./severity";
import type { Classification, Kind } from "./types";

/** GUID parts of the key in canonical form; anything else trimmed and lower-cased; missing -> "". */
function keyPart(value: string | null | undefined): string {
  if (!value) return "";
  return canonicalGuid(value) ?? value.trim().toLowerCase();
}

/**
 * `subscriptionId|correlationId|lower(operationName)`: the same operation seen through two sources is
 * one operation (DESIGN.md "Operation key"). A missing part is "".
 */
export function operationKey(
  event: Pick<ActivityEvent, "subscriptionId" | "correlationId" | "operationName">,
): string {
  return `${keyPart(event.subscriptionId)}|${keyPart(event.correlationId)}|${(event.operationName ?? "").trim().toLowerCase()}`;
}

function describeActor(actor: Actor): string {
  const who = actor.upn ?? actor.objectId ?? actor.appId ?? null;
  const kind: Record<Actor["type"], string> = {
    user: "user",
    servicePrincipal: "service principal",
    managedIdentity: "managed identity",
    unknown: "caller",
  };
  return who ? `${kind[actor.type]} ${who}` : "an unidentified caller";
}

/** What happened, one sentence per kind (behaviour as data). */
const WHAT_HAPPENED: Record<
  Kind,
  (c: { ns: string | null; feature: string | null; target: string }) => string
> = {
  "provider-unregister": ({ ns, target }) => `unregister resource provider ${ns} on ${target}`,
  "provider-register": ({ ns, target }) => `register resource provider ${ns} on ${target}`,
  "feature-unregister": ({ ns, feature, target }) =>
    feature
      ? `unregister preview feature ${ns}/${feature} on ${target}`
      : `unregister a preview feature on ${target}`,
  "feature-register": ({ ns, feature, target }) =>
    feature
      ? `register preview feature ${ns}/${feature} on ${target}`
      : `register a preview feature on ${target}`,
  "role-assignment-write": ({ target }) => `create or update a role assignment on ${target}`,
  "role-assignment-delete": ({ target }) => `delete a role assignment on ${target}`,
  other: () => `an operation this responder does not watch`,
};

export function classify(event: ActivityEvent): Classification {
  const match = matchKind(event.operationName ?? "");
  const reasons: string[] = [];
  let namespace: string | null = match.namespace ? canonicalNamespace(match.namespace) : null;
  let feature: string | null | undefined;

  if (match.kind === "feature-unregister" || match.kind === "feature-register") {
    const f = featureFromResourceId(event.resourceId);
    feature = f?.name ?? null;
    namespace = f ? canonicalNamespace(f.namespace) : null;
    if (!f) reasons.push(`The resource id (${event.resourceId ?? "missing"}) does not name the feature.`);
  }
  const group = namespace && match.kind !== "other" ? namespaceGroup(namespace) : null;
  const row = severityRow(match.kind, event.status, group);
  const attack = attackFor(match.kind, group);

  const target = event.subscriptionId ? `subscription ${event.subscriptionId}` : "an unknown subscription";
  const what = WHAT_HAPPENED[match.kind]({ ns: namespace, feature: feature ?? null, target });
  if (match.kind === "other") {
    reasons.unshift(`${event.operationName || "(no operation name)"} is ${what}.`);
  } else {
    reasons.unshift(`${describeActor(event.actor)} asked to ${what}; status ${event.status}.`);
  }
  reasons.push(`Severity ${row.severity}: ${row.why}.`);
  const service = namespace ? NAMESPACE_SERVICE[namespace.toLowerCase()] : undefined;
  if (service && match.kind === "provider-unregister") reasons.push(`${namespace} backs ${service}.`);
  if (attack.length)
    reasons.push(`ATT&CK: ${attack.map((t) => `${t} ${ATTACK_NAMES[t] ?? ""}`.trim()).join(", ")}.`);
  for (const note of event.notes ?? []) reasons.push(note);

  const classification: Classification = {
    kind: match.kind,
    namespace,
    group,
    severity: row.severity,
    reasons,
    attack,
    operationKey: operationKey(event),
  };
  if (feature !== undefined) classification.feature = feature;
  return classification;
}
