// A small synthetic tenant for the adapter suite: enough assignments to page, 2,500 principals to chunk
// getByIds, a guest, a foreign service principal with an application, and one operation in the log.
import type { TenantSnapshot } from "../../lib/tenant/snapshot";

export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
export const GUEST = "7f1e2d3c-4b5a-4968-8776-655443322110";
export const SP = "2b3c4d5e-6f70-4819-9a2b-3c4d5e6f7081";
export const SP_APP = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
export const GROUP = "9a9a9a9a-0000-4000-8000-000000000001";
export const CORRELATION = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const T0 = "2025-03-14T09:26:53.589Z";
export const RG_SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
export const ASSIGNMENTS_AT_SUB = 24;

const pad = (n: number): string => n.toString(16).padStart(12, "0");
export const userId = (n: number): string => `c0ffee00-aaaa-4bbb-8ccc-${pad(n)}`;
export const assignmentName = (n: number): string => `33333333-0000-4000-8000-${pad(n)}`;
export const assignmentId = (scope: string, name: string): string =>
  `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;

function definition(guid: string, roleName: string, actions: string[], notActions: string[] = []) {
  return {
    id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleDefinitions" as const,
    properties: {
      roleName,
      type: "BuiltInRole",
      description: `${roleName} role`,
      assignableScopes: ["/"],
      permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
      createdOn: null,
      updatedOn: null,
      createdBy: null,
      updatedBy: null,
    },
  };
}

function assignment(
  scope: string,
  name: string,
  principalId: string,
  principalType: string,
  role: string,
  createdOn: string,
) {
  return {
    id: assignmentId(scope, name),
    name,
    type: "Microsoft.Authorization/roleAssignments" as const,
    properties: {
      scope,
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      principalId,
      principalType,
      description: null,
      condition: null,
      conditionVersion: null,
      createdOn,
      updatedOn: createdOn,
      createdBy: ALEX,
      updatedBy: ALEX,
      delegatedManagedIdentityResourceId: null,
    },
  };
}

export function fixtureSnapshot(principalCount = 2500): TenantSnapshot {
  const subScope = `/subscriptions/${SUB}`;
  const assignments = [
    assignment(subScope, assignmentName(1), ALEX, "User", OWNER, "2024-02-01T00:00:00Z"),
    assignment(subScope, assignmentName(2), GUEST, "User", OWNER, "2025-03-14T07:26:53Z"),
    assignment(subScope, assignmentName(3), GROUP, "Group", READER, "2024-01-01T00:00:00Z"),
    assignment(RG_SCOPE, assignmentName(4), SP, "ServicePrincipal", OWNER, "2025-03-14T07:56:53Z"),
  ];
  for (let i = 5; assignments.length < ASSIGNMENTS_AT_SUB + 1; i++)
    assignments.push(
      assignment(subScope, assignmentName(i), userId(i), "User", READER, "2023-01-01T00:00:00Z"),
    );
  const principals: TenantSnapshot["principals"] = [
    {
      "@odata.type": "#microsoft.graph.user",
      id: ALEX,
      displayName: "Alex",
      userPrincipalName: "alex.doe@contoso.example",
      userType: "Member",
      accountEnabled: true,
    },
    {
      "@odata.type": "#microsoft.graph.user",
      id: GUEST,
      displayName: "Guest",
      userPrincipalName: "evil_mail.example#EXT#@contoso.onmicrosoft.com",
      userType: "Guest",
      accountEnabled: true,
    },
    { "@odata.type": "#microsoft.graph.group", id: GROUP, displayName: "Readers", members: [ALEX] },
    {
      "@odata.type": "#microsoft.graph.servicePrincipal",
      id: SP,
      displayName: "foreign-app",
      appId: SP_APP,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: "0c0ffee0-1111-4222-8333-444455556666",
      accountEnabled: true,
    },
  ];
  for (let i = 1; principals.length < principalCount; i++)
    principals.push({
      "@odata.type": "#microsoft.graph.user",
      id: userId(i),
      displayName: `user ${i}`,
      userType: "Member",
    });
  return {
    tenantId: TENANT,
    subscriptions: [
      {
        id: SUB,
        providers: [
          { namespace: "Microsoft.Security", registrationState: "NotRegistered" },
          { namespace: "Microsoft.Insights", registrationState: "Registered" },
        ],
      },
    ],
    roleDefinitions: [definition(OWNER, "Owner", ["*"]), definition(READER, "Reader", ["*/read"])],
    roleAssignments: assignments,
    principals,
    applications: [
      {
        id: "3c2b1a09-8f7e-4d6c-9b5a-493827160504",
        appId: SP_APP,
        displayName: "foreign-app",
        passwordCredentials: [
          { keyId: "k1", displayName: "added", startDateTime: "2025-03-14T06:26:53Z", endDateTime: null },
        ],
        keyCredentials: [],
      },
    ],
    activityLog: [
      {
        eventDataId: "e1",
        correlationId: CORRELATION,
        operationName: { value: "Microsoft.Security/unregister/action", localizedValue: "Unregister" },
        status: { value: "Started", localizedValue: "Started" },
        eventTimestamp: "2025-03-14T09:26:50.000Z",
        caller: "alex.doe@contoso.example",
        resourceId: `/subscriptions/${SUB}/providers/Microsoft.Security`,
        subscriptionId: SUB,
      },
      {
        eventDataId: "e2",
        correlationId: CORRELATION,
        operationName: { value: "Microsoft.Security/unregister/action", localizedValue: "Unregister" },
        status: { value: "Succeeded", localizedValue: "Succeeded" },
        eventTimestamp: T0,
        caller: "alex.doe@contoso.example",
        resourceId: `/subscriptions/${SUB}/providers/Microsoft.Security`,
        subscriptionId: SUB,
      },
      {
        eventDataId: "e3",
        correlationId: "c0000000-0000-4000-8000-000000000099",
        operationName: { value: "Microsoft.Storage/storageAccounts/write", localizedValue: "write" },
        status: { value: "Succeeded", localizedValue: "Succeeded" },
        eventTimestamp: "2025-03-14T10:00:00.000Z",
        caller: "alex.doe@contoso.example",
        resourceId: `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/x`,
        subscriptionId: SUB,
      },
    ],
  };
}
