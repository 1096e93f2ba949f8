// Builds ActivityEvents for tests: a complete, valid default with overrides.
import type { ActivityEvent } from "../../lib/events/types";

export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";

export function makeEvent(overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  const operationName = overrides.operationName ?? "Microsoft.Security/unregister/action";
  return {
    source: "eventgrid",
    eventId: "e-1",
    correlationId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    time: "2025-03-14T09:26:53.589Z",
    operationName,
    operationNameLower: operationName.toLowerCase(),
    status: "succeeded",
    subscriptionId: SUB,
    tenantId: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
    resourceId: `/subscriptions/${SUB}/providers/Microsoft.Security`,
    actor: {
      objectId: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
      type: "user",
      upn: "alex.doe@contoso.example",
    },
    evidence: {
      roleAssignmentId: null,
      roleDefinitionId: null,
      principalId: null,
      principalType: null,
      scope: null,
    },
    where: "test:1",
    notes: [],
    ...overrides,
  };
}
