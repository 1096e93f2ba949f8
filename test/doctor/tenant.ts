// A small tenant for the doctor tests: one watched subscription, the responder's identity holding the
// least-privilege custom role (as infra/main.bicep defines it), and a user with Owner.
import type { TenantSnapshot } from "../../lib/tenant/snapshot";
import { parseSnapshot } from "../../lib/tenant/snapshot";

export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const RESPONDER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";
export const RESPONDER_CLIENT_ID = "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
export const CUSTOM_ROLE = "5c0e5c0e-0000-4000-8000-00000000c001";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

export const LEAST_PRIVILEGE_ACTIONS = [
  "Microsoft.Authorization/roleAssignments/read",
  "Microsoft.Authorization/roleDefinitions/read",
  "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
  "Microsoft.Authorization/roleAssignments/delete",
  "Microsoft.Resources/subscriptions/providers/read",
  "*/register/action",
  "Microsoft.Insights/eventtypes/*",
];

function definition(
  guid: string,
  roleName: string,
  type: string,
  actions: string[],
  notActions: string[] = [],
) {
  return {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName,
      type,
      description: null,
      assignableScopes: ["/"],
      permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
    },
  };
}

function assignment(name: string, principalId: string, roleGuid: string, principalType = "ServicePrincipal") {
  return {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: `/subscriptions/${SUB}`,
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType,
      createdOn: "2024-01-01T00:00:00Z",
    },
  };
}

export interface TenantOptions {
  /** The custom role's actions (default: the least-privilege set). */
  responderActions?: string[];
  /** Give the responder Owner instead of (or besides) the custom role. */
  responderRoles?: Array<"custom" | "owner" | "reader">;
}

export function doctorTenant(o: TenantOptions = {}): TenantSnapshot {
  const roles = o.responderRoles ?? ["custom"];
  const guidOf = { custom: CUSTOM_ROLE, owner: OWNER, reader: READER } as const;
  return parseSnapshot({
    tenantId: TENANT,
    subscriptions: [
      { id: SUB, providers: [{ namespace: "Microsoft.Security", registrationState: "Registered" }] },
    ],
    roleDefinitions: [
      definition(
        CUSTOM_ROLE,
        "Unregister Responder (test)",
        "CustomRole",
        o.responderActions ?? LEAST_PRIVILEGE_ACTIONS,
      ),
      definition(OWNER, "Owner", "BuiltInRole", ["*"]),
      definition(READER, "Reader", "BuiltInRole", ["*/read"]),
    ],
    roleAssignments: [
      ...roles.map((r, i) => assignment(`44444444-0000-4000-8000-00000000000${i}`, RESPONDER, guidOf[r])),
      assignment(
        "44444444-0000-4000-8000-000000000009",
        "c0ffee00-aaaa-4bbb-8ccc-000000000001",
        OWNER,
        "User",
      ),
    ],
    principals: [
      {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id: RESPONDER,
        displayName: "id-responder",
        appId: RESPONDER_CLIENT_ID,
        servicePrincipalType: "ManagedIdentity",
        appOwnerOrganizationId: TENANT,
        accountEnabled: true,
      },
      {
        "@odata.type": "#microsoft.graph.user",
        id: "c0ffee00-aaaa-4bbb-8ccc-000000000001",
        displayName: "ops-1",
        userPrincipalName: "ops1@contoso.example",
        userType: "Member",
        accountEnabled: true,
      },
    ],
    applications: [],
    activityLog: [],
  });
}

export function doctorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MODE: "flag",
    RESPONDER_PRINCIPAL_ID: RESPONDER,
    AZURE_CLIENT_ID: RESPONDER_CLIENT_ID,
    WATCHED_SUBSCRIPTION_IDS: SUB,
    ...extra,
  };
}
