// A small synthetic tenant for the adapter suite: enough assignments to page, 2,500 principals to chunk
// getByIds, a guest, a foreign service principal with an application, and one operation in the log.
import type { TenantSnapshot } from "../../lib/tenant/snapshot";
import {
  armRoleAssignment,
  armRoleDefinition,
  armScheduleInstance,
  roleAssignmentId,
} from "../../lib/simulator/builders";
import {
  ALEX,
  BUILTIN_ROLE,
  E4_CORR,
  FABRIKAM,
  FOREIGN_SP,
  GUEST,
  SUB,
  T0,
  TENANT,
  ALEX_USER,
  GUEST_USER,
} from "../support/scenario";

export { TENANT, SUB, ALEX, GUEST } from "../support/scenario";
export const OWNER = BUILTIN_ROLE.owner;
export const READER = BUILTIN_ROLE.reader;
export const SP = FOREIGN_SP;
export const SP_APP = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
export const GROUP = "9a9a9a9a-0000-4000-8000-000000000001";
/** Holds Readers (so ALEX, nested) and GUEST; no role of its own. */
export const ADMINS = "9a9a9a9a-0000-4000-8000-000000000002";
/** 1,200 users: more than one Graph page (999) of transitive members. */
export const EVERYONE = "9a9a9a9a-0000-4000-8000-000000000003";
export const EVERYONE_SIZE = 1200;
export const CORRELATION = E4_CORR;
export { T0 } from "../support/scenario";
export const RG_SCOPE = `/subscriptions/${SUB}/resourceGroups/rg-app`;
export const ASSIGNMENTS_AT_SUB = 24;
/** PIM instances at the subscription (atScope() sees them); one more sits on RG_SCOPE, below it. */
export const PIM_AT_SUB = 12;

const pad = (n: number): string => n.toString(16).padStart(12, "0");
export const userId = (n: number): string => `c0ffee00-aaaa-4bbb-8ccc-${pad(n)}`;
export const assignmentName = (n: number): string => `33333333-0000-4000-8000-${pad(n)}`;
export const assignmentId = roleAssignmentId;

const definition = (guid: string, roleName: string, actions: string[]) =>
  armRoleDefinition({
    scope: `/subscriptions/${SUB}`,
    guid,
    roleName,
    actions,
    description: `${roleName} role`,
  });

function assignment(
  scope: string,
  name: string,
  principalId: string,
  principalType: string,
  role: string,
  createdOn: string,
) {
  return armRoleAssignment({ scope, name, principalId, principalType, role, createdOn, createdBy: ALEX });
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
    { ...ALEX_USER },
    { ...GUEST_USER },
    { "@odata.type": "#microsoft.graph.group", id: GROUP, displayName: "Readers", members: [ALEX] },
    { "@odata.type": "#microsoft.graph.group", id: ADMINS, displayName: "Admins", members: [GROUP, GUEST] },
    {
      "@odata.type": "#microsoft.graph.group",
      id: EVERYONE,
      displayName: "Everyone",
      members: Array.from({ length: EVERYONE_SIZE }, (_, i) => userId(i + 1)),
    },
    {
      "@odata.type": "#microsoft.graph.servicePrincipal",
      id: SP,
      displayName: "foreign-app",
      appId: SP_APP,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: FABRIKAM,
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
    roleAssignmentScheduleInstances: [
      // The guest's Owner is a PIM activation until T0+6h; the rest are permanent PIM assignments.
      armScheduleInstance({
        assignment: assignments[1]!,
        assignmentType: "Activated",
        startDateTime: "2025-03-14T07:26:53Z",
        endDateTime: "2025-03-14T15:26:53Z",
        eligibilityScheduleName: "e1161b1e-0000-4000-8000-000000000002",
      }),
      armScheduleInstance({
        assignment: assignments[3]!,
        assignmentType: "Activated",
        startDateTime: "2025-03-14T07:56:53Z",
        endDateTime: "2025-03-14T09:56:53Z",
      }),
      ...assignments.slice(4, 4 + PIM_AT_SUB - 1).map((a) =>
        armScheduleInstance({
          assignment: a,
          assignmentType: "Assigned",
          startDateTime: "2023-01-01T00:00:00Z",
          endDateTime: null,
        }),
      ),
    ],
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
