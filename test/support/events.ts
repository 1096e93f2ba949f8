// The one ActivityEvent factory for tests and benches: a complete, valid event (the demo story's E4, alex
// unregistering Microsoft.Security on prod) with overrides on top. Callers set only what their case is about.
import type { ActivityEvent } from "../../lib/events/types";
import { ALEX, E4_CORR, SUB, T0, TENANT } from "./scenario";

export const E4_OPERATION = "Microsoft.Security/unregister/action";

/** `operationNameLower` follows an overridden `operationName` unless the override sets it too. */
export function testEvent(over: Partial<ActivityEvent> = {}): ActivityEvent {
  const operationName = over.operationName ?? E4_OPERATION;
  return {
    source: "eventgrid",
    eventId: "e4",
    correlationId: E4_CORR,
    time: T0,
    operationName,
    operationNameLower: operationName.toLowerCase(),
    status: "succeeded",
    subscriptionId: SUB,
    tenantId: TENANT,
    resourceId: `/subscriptions/${SUB}/providers/Microsoft.Security`,
    actor: { objectId: ALEX, type: "user", upn: "alex.doe@contoso.example" },
    evidence: {
      roleAssignmentId: null,
      roleDefinitionId: null,
      principalId: null,
      principalType: null,
      scope: null,
    },
    where: "test",
    notes: [],
    ...over,
  };
}
