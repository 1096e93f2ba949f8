// A small tenant with every relationship the route tests need: scopes at three levels, a management-group
// assignment, nested groups, guests, a foreign SP, a managed identity, an application, activity rows.
import { createPipelineRequest, type HttpClient } from "@azure/core-rest-pipeline";
import { Simulator, type SimulatorOptions } from "../../lib/simulator";
import { parseSnapshot, type TenantSnapshot } from "../../lib/tenant/snapshot";

export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
export const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const DEV = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
export const SUB = `/subscriptions/${PROD}`;
export const RG = `${SUB}/resourceGroups/rg-app`;
export const MG = "/providers/Microsoft.Management/managementGroups/contoso-root";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const CUSTOM = "c0de0000-1095-4ead-8e00-00000000c0de";
export const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
export const GUEST = "7f1e2d3c-4b5a-4968-8776-655443322110";
export const SP = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
export const SP_APPID = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
export const APP_OBJECT = "3c2b1a09-8f7e-4d6c-9b5a-493827160504";
export const GROUP_OUTER = "9a000000-0000-4000-8000-000000000001";
export const GROUP_INNER = "9a000000-0000-4000-8000-000000000002";
export const CORR = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

export function ra(name: string, scope: string, principalId: string, role: string, type = "User") {
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope,
      roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      principalId,
      principalType: type,
      createdOn: "2024-01-01T00:00:00Z",
    },
  };
}

const def = (guid: string, roleName: string, type: string, scopes: string[]) => ({
  id: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
  name: guid,
  type: "Microsoft.Authorization/roleDefinitions",
  properties: { roleName, type, assignableScopes: scopes, permissions: [{ actions: ["*"] }] },
});

const activity = (n: number, status: string, minute: number, correlationId = CORR, sub = PROD) => ({
  eventDataId: `eda7a000-0000-4000-8000-00000000000${n}`,
  correlationId,
  operationName: { value: "Microsoft.Security/unregister/action", localizedValue: "x" },
  status: { value: status, localizedValue: status },
  eventTimestamp: new Date(Date.parse("2025-03-14T09:00:00Z") + minute * 60_000).toISOString(),
  caller: "alex.doe@contoso.example",
  resourceId: `/subscriptions/${sub}/providers/Microsoft.Security`,
  subscriptionId: sub,
});

export function fixtureSnapshot(): TenantSnapshot {
  return parseSnapshot({
    tenantId: TENANT,
    subscriptions: [
      {
        id: PROD,
        providers: [
          { namespace: "Microsoft.Security", registrationState: "NotRegistered" },
          { namespace: "Microsoft.Insights", registrationState: "Registered" },
        ],
      },
      { id: DEV, providers: [] },
    ],
    roleDefinitions: [
      def(OWNER, "Owner", "BuiltInRole", ["/"]),
      def(READER, "Reader", "BuiltInRole", ["/"]),
      def(CUSTOM, "Contoso Log Reader", "CustomRole", [`/subscriptions/${PROD}`]),
    ],
    roleAssignments: [
      ra("00000000-0000-4000-8000-000000000001", SUB, ALEX, OWNER),
      ra("00000000-0000-4000-8000-000000000002", RG, ALEX, READER),
      ra("00000000-0000-4000-8000-000000000003", MG, GUEST, READER),
      ra("00000000-0000-4000-8000-000000000004", SUB, GROUP_OUTER, READER, "Group"),
      ra("00000000-0000-4000-8000-000000000005", RG, SP, OWNER, "ServicePrincipal"),
      ra("00000000-0000-4000-8000-000000000006", `/subscriptions/${DEV}`, ALEX, READER),
    ],
    principals: [
      {
        "@odata.type": "#microsoft.graph.user",
        id: ALEX,
        displayName: "Alex Doe",
        userPrincipalName: "alex.doe@contoso.example",
        userType: "Member",
        accountEnabled: true,
        mail: "alex.doe@contoso.example",
      },
      {
        "@odata.type": "#microsoft.graph.user",
        id: GUEST,
        displayName: "evil",
        userPrincipalName: "evil_mail.example#EXT#@contoso.onmicrosoft.com",
        userType: "Guest",
        accountEnabled: true,
      },
      {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id: SP,
        appId: SP_APPID,
        displayName: "sp-deployer",
        servicePrincipalType: "Application",
        appOwnerOrganizationId: TENANT,
        accountEnabled: true,
        alternativeNames: [],
      },
      // GUEST is in INNER, INNER is in OUTER: assignedTo(GUEST) must reach OUTER's assignment.
      {
        "@odata.type": "#microsoft.graph.group",
        id: GROUP_OUTER,
        displayName: "outer",
        members: [GROUP_INNER],
      },
      { "@odata.type": "#microsoft.graph.group", id: GROUP_INNER, displayName: "inner", members: [GUEST] },
    ],
    applications: [
      {
        id: APP_OBJECT,
        appId: SP_APPID,
        displayName: "sp-deployer",
        passwordCredentials: [
          { keyId: "k1", displayName: "temp", startDateTime: "2025-03-14T06:26:53Z", endDateTime: null },
        ],
        keyCredentials: [],
      },
    ],
    activityLog: [
      activity(1, "Started", 0),
      activity(2, "Succeeded", 1),
      activity(3, "Succeeded", 120, "c0000000-0000-4000-8000-000000000099"),
      activity(4, "Succeeded", 30, "c0000000-0000-4000-8000-000000000098", DEV),
    ],
  });
}

export function fixtureSimulator(options?: SimulatorOptions): Simulator {
  return new Simulator(fixtureSnapshot(), options);
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

/** Sends one request through an HttpClient (the in-process mount by default). */
export async function send(
  client: HttpClient,
  method: string,
  url: string,
  body?: unknown,
  extra: Partial<Parameters<typeof createPipelineRequest>[0]> = {},
): Promise<Reply> {
  const request = createPipelineRequest({ url, method: method as "GET", ...extra });
  if (body !== undefined) {
    request.body = JSON.stringify(body);
    request.headers.set("content-type", "application/json");
  }
  const r = await client.sendRequest(request);
  return {
    status: r.status,
    headers: r.headers.toJSON(),
    body: r.bodyAsText ? JSON.parse(r.bodyAsText) : undefined,
  };
}

export const ARM = "https://management.azure.com";
export const GRAPH = "https://graph.microsoft.com";
export const RA_API = "api-version=2022-04-01";
