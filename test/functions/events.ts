// Event Grid deliveries for the Function tests, in the shape `app.eventGrid` hands to the handler
// (reference §1.5), built from the demo scenario's ids (samples/SCENARIO.md).
export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
export const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const DEV = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
export const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
export const RESPONDER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";

export interface EventOptions {
  id?: string;
  subscriptionId?: string;
  operationName?: string;
  eventType?: string;
  correlationId?: string;
  time?: string;
  status?: string;
  resourceUri?: string;
}

export function eventGridEvent(o: EventOptions = {}) {
  const sub = o.subscriptionId ?? PROD;
  const operationName = o.operationName ?? "Microsoft.Security/unregister/action";
  const namespace = operationName.split("/")[0] ?? "Microsoft.Security";
  const resourceUri = o.resourceUri ?? `/subscriptions/${sub}/providers/${namespace}`;
  return {
    id: o.id ?? "e4000000-0000-4000-8000-000000000004",
    topic: `/subscriptions/${sub}`,
    subject: resourceUri,
    eventType: o.eventType ?? "Microsoft.Resources.ResourceActionSuccess",
    eventTime: o.time ?? "2025-03-14T09:26:53.5897932Z",
    dataVersion: "2",
    metadataVersion: "1",
    data: {
      authorization: {
        scope: resourceUri,
        action: operationName,
        evidence: { role: "Owner", principalId: ALEX.replace(/-/g, ""), principalType: "User" },
      },
      claims: {
        "http://schemas.microsoft.com/identity/claims/objectidentifier": ALEX,
        "http://schemas.microsoft.com/identity/claims/tenantid": TENANT,
        idtyp: "user",
        appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        ipaddr: "203.0.113.24",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "alex.doe@contoso.example",
      },
      correlationId: o.correlationId ?? "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      resourceProvider: namespace,
      resourceUri,
      operationName,
      status: o.status ?? "Succeeded",
      subscriptionId: sub,
      tenantId: TENANT,
    },
  };
}

/** A storage write: nothing to do with providers or roles. */
export function unrelatedEvent() {
  return eventGridEvent({
    id: "e1300000-0000-4000-8000-000000000013",
    operationName: "Microsoft.Storage/storageAccounts/write",
    eventType: "Microsoft.Resources.ResourceWriteSuccess",
    resourceUri: `/subscriptions/${PROD}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp`,
    correlationId: "c1300000-0000-4000-8000-000000000013",
  });
}

/** Valid settings for the Function profile (memory-free: a connection string is given, never used by fakes). */
export function functionEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MODE: "flag",
    RESPONDER_PRINCIPAL_ID: RESPONDER,
    WATCHED_SUBSCRIPTION_IDS: `${PROD},${DEV}`,
    STORE_CONNECTION_STRING: "UseDevelopmentStorage=true",
    ...extra,
  };
}
