// A compact version of samples/SCENARIO.md's prod subscription, for pipeline tests that drive the real
// SDK clients against the in-process simulator. Ids are the scenario's.
import type { ActivityEvent } from "../../lib/events/types";
import type { TenantSnapshot } from "../../lib/tenant/snapshot";
import { loadSettings, type Settings } from "../../lib/config/settings";
import { defaultPolicy } from "../../lib/review/policy";
import { openTenant } from "../../lib/tenant/open";
import { MemoryStore } from "../../lib/store/memory";
import type { Store } from "../../lib/store/types";
import type { ResponderDeps } from "../../lib/respond";
import type { Mode } from "../../lib/review/types";
import { armRoleAssignment, armRoleDefinition, roleAssignmentId } from "../../lib/simulator/builders";
import {
  ALEX,
  ALEX_USER,
  BREAK_GLASS,
  BUILTIN_ROLE,
  E4_CORR,
  FABRIKAM,
  FOREIGN_SP,
  GUEST,
  GUEST_USER,
  OPS1,
  OPS2,
  RESPONDER,
  SUB,
  T0,
  TENANT,
} from "../support/scenario";

export {
  TENANT,
  FABRIKAM,
  SUB,
  ALEX,
  GUEST,
  FOREIGN_SP,
  BREAK_GLASS,
  OPS1,
  OPS2,
  RESPONDER,
  T0,
  E4_CORR,
} from "../support/scenario";
export const OWNER = BUILTIN_ROLE.owner;
export const CONTRIBUTOR = BUILTIN_ROLE.contributor;
export const UAA = BUILTIN_ROLE.userAccessAdministrator;
export const READER = BUILTIN_ROLE.reader;
export const SUB_SCOPE = `/subscriptions/${SUB}`;

const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
export const assignmentId = (name: string, scope = SUB_SCOPE): string => roleAssignmentId(scope, name);
export const GUEST_OWNER = "11111111-0000-4000-8000-000000000001";
export const BREAK_GLASS_OWNER = "22222222-0000-4000-8000-000000000001";

const definition = (guid: string, roleName: string, actions: string[], notActions: string[] = []) =>
  armRoleDefinition({ scope: SUB_SCOPE, guid, roleName, actions, notActions });

export function armAssignment(
  name: string,
  principalId: string,
  principalType: string,
  role: string,
  createdOn: string,
  createdBy: string | null,
) {
  return armRoleAssignment({
    scope: SUB_SCOPE,
    name,
    principalId,
    principalType,
    role,
    createdOn,
    createdBy,
  });
}

function row(corr: string, op: string, status: string, time: string) {
  return {
    eventDataId: `${corr}-${status}`,
    correlationId: corr,
    operationName: { value: op },
    status: { value: status },
    eventTimestamp: time,
    caller: "alex.doe@contoso.example",
    resourceId: SUB_SCOPE,
    subscriptionId: SUB,
  };
}

export function scenarioSnapshot(): TenantSnapshot {
  return {
    tenantId: TENANT,
    subscriptions: [
      {
        id: SUB,
        providers: [
          { namespace: "Microsoft.Security", registrationState: "NotRegistered" },
          { namespace: "Microsoft.Compute", registrationState: "Registered" },
        ],
      },
    ],
    roleDefinitions: [
      definition(OWNER, "Owner", ["*"]),
      definition(
        CONTRIBUTOR,
        "Contributor",
        ["*"],
        ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"],
      ),
      definition(UAA, "User Access Administrator", ["*/read", "Microsoft.Authorization/*"]),
      definition(READER, "Reader", ["*/read"]),
    ],
    roleAssignments: [
      armAssignment(GUEST_OWNER, GUEST, "User", OWNER, at(-120), ALEX),
      armAssignment(
        "33333333-0000-4000-8000-000000000001",
        ALEX,
        "User",
        OWNER,
        "2024-02-01T00:00:00Z",
        OPS1,
      ),
      armAssignment(
        "33333333-0000-4000-8000-000000000004",
        OPS1,
        "User",
        OWNER,
        "2023-01-01T00:00:00Z",
        null,
      ),
      armAssignment(
        "33333333-0000-4000-8000-000000000005",
        OPS2,
        "User",
        OWNER,
        "2023-01-01T00:00:00Z",
        null,
      ),
    ],
    principals: [
      { ...ALEX_USER },
      { ...GUEST_USER },
      {
        "@odata.type": "#microsoft.graph.user",
        id: OPS1,
        displayName: "Ops 1",
        userPrincipalName: "ops1@contoso.example",
        userType: "Member",
        accountEnabled: true,
      },
      {
        "@odata.type": "#microsoft.graph.user",
        id: OPS2,
        displayName: "Ops 2",
        userPrincipalName: "ops2@contoso.example",
        userType: "Member",
        accountEnabled: true,
      },
      {
        "@odata.type": "#microsoft.graph.user",
        id: BREAK_GLASS,
        displayName: "Break glass",
        userPrincipalName: "bg@contoso.example",
        userType: "Member",
        accountEnabled: true,
      },
      {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id: FOREIGN_SP,
        displayName: "Foreign app",
        appId: "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e",
        appOwnerOrganizationId: FABRIKAM,
        servicePrincipalType: "Application",
        accountEnabled: true,
      },
    ],
    applications: [],
    activityLog: [
      row(
        "c0000000-0000-4000-8000-000000000001",
        "Microsoft.Authorization/roleAssignments/write",
        "Succeeded",
        at(-120),
      ),
      row(
        "c0000000-0000-4000-8000-000000000003",
        "Microsoft.Authorization/roleAssignments/delete",
        "Succeeded",
        at(-60),
      ),
      row(E4_CORR, "Microsoft.Security/unregister/action", "Started", T0),
      row(E4_CORR, "Microsoft.Security/unregister/action", "Succeeded", T0),
      row(
        "c0000000-0000-4000-8000-000000000005",
        "Microsoft.Authorization/roleAssignments/write",
        "Succeeded",
        at(30),
      ),
    ],
  };
}

const NO_EVIDENCE = {
  roleAssignmentId: null,
  roleDefinitionId: null,
  principalId: null,
  principalType: null,
  scope: null,
};

export function activityEvent(o: {
  id: string;
  corr: string | null;
  op: string;
  minutes: number;
  resourceId: string;
  responseBody?: unknown;
  status?: ActivityEvent["status"];
}): ActivityEvent {
  return {
    source: "eventgrid",
    eventId: o.id,
    correlationId: o.corr,
    time: at(o.minutes),
    operationName: o.op,
    operationNameLower: o.op.toLowerCase(),
    status: o.status ?? "succeeded",
    subscriptionId: SUB,
    tenantId: TENANT,
    resourceId: o.resourceId,
    actor: { objectId: ALEX, type: "user", upn: "alex.doe@contoso.example" },
    evidence: NO_EVIDENCE,
    where: o.id,
    notes: [],
    ...(o.responseBody !== undefined ? { responseBody: o.responseBody } : {}),
  };
}

export const E1 = activityEvent({
  id: "e1",
  corr: "c0000000-0000-4000-8000-000000000001",
  op: "Microsoft.Authorization/roleAssignments/write",
  minutes: -120,
  resourceId: assignmentId(GUEST_OWNER),
});
export const E3 = activityEvent({
  id: "e3",
  corr: "c0000000-0000-4000-8000-000000000003",
  op: "Microsoft.Authorization/roleAssignments/delete",
  minutes: -60,
  resourceId: assignmentId(BREAK_GLASS_OWNER),
  responseBody: JSON.stringify({
    id: assignmentId(BREAK_GLASS_OWNER),
    name: BREAK_GLASS_OWNER,
    properties: {
      scope: SUB_SCOPE,
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
      principalId: BREAK_GLASS,
      principalType: "User",
      createdOn: "2023-01-01T00:00:00Z",
      createdBy: OPS1,
    },
  }),
});
export const E4 = activityEvent({
  id: "e4",
  corr: E4_CORR,
  op: "Microsoft.Security/unregister/action",
  minutes: 0,
  resourceId: `${SUB_SCOPE}/providers/Microsoft.Security`,
});
export const E5 = (name: string) =>
  activityEvent({
    id: "e5",
    corr: "c0000000-0000-4000-8000-000000000005",
    op: "Microsoft.Authorization/roleAssignments/write",
    minutes: 30,
    resourceId: assignmentId(name),
  });
export const E12 = activityEvent({
  id: "e12",
  corr: "c0000000-0000-4000-8000-0000000000ff",
  op: "Microsoft.PolicyInsights/unregister/action",
  minutes: 360,
  resourceId: `${SUB_SCOPE}/providers/Microsoft.PolicyInsights`,
});

export function settingsFor(mode: Mode, extra: Record<string, string> = {}): Settings {
  return loadSettings({ MODE: mode, RESPONDER_PRINCIPAL_ID: RESPONDER, ...extra });
}

export interface Harness {
  deps: ResponderDeps;
  simulator: NonNullable<Awaited<ReturnType<typeof openTenant>>["simulator"]>;
  published: string[];
}

/** The pipeline's dependencies over the in-process simulator and a store (MemoryStore unless given). */
export async function harness(
  mode: Mode,
  opts: { store?: Store; live?: boolean; now?: () => Date; instanceId?: string } = {},
): Promise<Harness> {
  const settings = settingsFor(mode);
  const opened = await openTenant({
    snapshot: scenarioSnapshot(),
    settings,
    tuning: { retry: { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 2 } },
  });
  const published: string[] = [];
  const deps: ResponderDeps = {
    tenant: opened.tenant,
    store: opts.store ?? new MemoryStore(),
    publisher: { publishIncident: async (i) => void published.push(i.id) },
    settings,
    policy: defaultPolicy(),
    log: { info() {}, warn() {}, error() {} },
    now: opts.now ?? (() => new Date(Date.parse(T0) + 3 * 3_600_000)),
    protectedIds: [BREAK_GLASS],
    live: opts.live ?? false,
    instanceId: opts.instanceId ?? "test",
  };
  return { deps, simulator: opened.simulator!, published };
}

export const WRITE_METHODS = new Set(["PUT", "DELETE", "POST", "PATCH"]);
