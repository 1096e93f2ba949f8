// A synthetic event that exercises the whole pipeline in plan mode (classify, review reads through ARM
// and Graph, verification), so a deployment whose event subscription never fires is still visibly
// working or visibly broken. The namespace is fictitious: nothing real is ever planned against it, and
// plan mode writes nothing.
import { randomUUID } from "node:crypto";
import type { Settings } from "../lib/config/settings";

export const SELF_TEST_NAMESPACE = "Responder.SelfTest";
const ZERO_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

export function selfTestEvent(settings: Settings, now: Date = new Date()): Record<string, unknown> {
  const subscriptionId = settings.watchedSubscriptionIds[0] ?? ZERO_SUBSCRIPTION;
  // Older than the verification grace period: its correlation id is not in the activity log, and it
  // must come out "unverified" (flagged) instead of being treated as transient and retried.
  const time = new Date(now.getTime() - (settings.verifyGraceMinutes + 1) * 60_000).toISOString();
  const correlationId = randomUUID();
  const operationName = `${SELF_TEST_NAMESPACE}/unregister/action`;
  return {
    id: randomUUID(),
    topic: `/subscriptions/${subscriptionId}`,
    subject: `/subscriptions/${subscriptionId}/providers/${SELF_TEST_NAMESPACE}`,
    eventType: "Microsoft.Resources.ResourceActionSuccess",
    eventTime: time,
    dataVersion: "2",
    metadataVersion: "1",
    data: {
      authorization: { scope: `/subscriptions/${subscriptionId}`, action: operationName, evidence: {} },
      claims: {
        oid: settings.responderPrincipalId ?? ZERO_SUBSCRIPTION,
        idtyp: "app",
        appid: settings.azureClientId ?? ZERO_SUBSCRIPTION,
      },
      correlationId,
      resourceProvider: SELF_TEST_NAMESPACE,
      resourceUri: `/subscriptions/${subscriptionId}/providers/${SELF_TEST_NAMESPACE}`,
      operationName,
      status: "Succeeded",
      subscriptionId,
      tenantId: ZERO_SUBSCRIPTION,
    },
  };
}
