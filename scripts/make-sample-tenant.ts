// Writes samples/tenant.json: the Contoso tenant of samples/SCENARIO.md, deterministically (seeded).
// Run: npx tsx scripts/make-sample-tenant.ts [path-to-arm-role-definitions.json]
// The story's ids, times and assignments come from SCENARIO.md; the few hundred "ordinary" assignments
// (created before T0−30d, non-privileged roles only) come from generatePopulation with a fixed seed.
import { readFileSync, writeFileSync } from "node:fs";
import {
  armRoleAssignment,
  armRoleDefinition,
  armScheduleInstance,
  BUILTIN_ROLE,
  roleAssignmentId,
} from "../lib/simulator/builders";
import { generatePopulation } from "../lib/simulator/large-tenant";
import {
  normaliseRoleDefinition,
  parseSnapshot,
  type ActivityLogEntry,
  type ArmRoleAssignment,
  type ArmRoleDefinition,
  type ArmScheduleInstance,
  type DirectoryObject,
  type TenantSnapshot,
} from "../lib/tenant/snapshot";

const CATALOGUE = process.argv[2] ?? "/work/shared/reference/data/arm-role-definitions.json";
const OUT = "samples/tenant.json";
const SEED = 20250314;

// ---- ids from samples/SCENARIO.md -------------------------------------------------------------------------
const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
const FABRIKAM = "0c0ffee0-1111-4222-8333-444455556666";
const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const DEV = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d";
const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
const GUEST = "7f1e2d3c-4b5a-4968-8776-655443322110";
const FOREIGN_SP = "2b3c4d5e-6f70-4819-9a2b-3c4d5e6f7081";
const FOREIGN_APPID = "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e";
const SP_DEPLOYER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const SP_DEPLOYER_APPID = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
const SP_DEPLOYER_APP = "3c2b1a09-8f7e-4d6c-9b5a-493827160504";
const ID_RUNNER = "d4c3b2a1-f0e9-4d8c-9b7a-6f5e4d3c2b1a";
const ID_RUNNER_APPID = "8e7d6c5b-4a39-4281-9706-f5e4d3c2b1a0";
const ID_RUNNER_RESOURCE = `/subscriptions/${PROD}/resourcegroups/rg-automation/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-runner`;
const BREAK_GLASS = "b1eac1a5-0000-4000-8000-00000000b001";
const OPS1 = "c0ffee00-aaaa-4bbb-8ccc-000000000001";
const OPS2 = "c0ffee00-aaaa-4bbb-8ccc-000000000002";
const DEV_USER = "c0ffee00-aaaa-4bbb-8ccc-000000000003";
const RESPONDER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";
const DELETED = "0de1e7ed-dead-4bad-8bad-00000000dead";
const OWNER = BUILTIN_ROLE.owner;
const CONTRIBUTOR = BUILTIN_ROLE.contributor;
const UAA = BUILTIN_ROLE.userAccessAdministrator;
const READER = BUILTIN_ROLE.reader;
/** Custom roles defined here (not in SCENARIO's table, so chosen once and fixed). */
const RESPONDER_ROLE = "e5f0c0de-5e5f-4c0d-9e5f-00000000e5f0";
const LOG_READER_ROLE = "c0de0000-1095-4ead-8e00-00000000c0de";

const T0 = Date.parse("2025-03-14T09:26:53.589Z");
/** ISO time at T0 + minutes, with the 7 fractional digits of SCENARIO's T0. */
function at(minutes: number, extraMs = 0): string {
  return new Date(T0 + minutes * 60_000 + extraMs)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}7932Z`);
}
const H = 60;

// ---- role definitions ----------------------------------------------------------------------------------------
function catalogue(): ArmRoleDefinition[] {
  const raw = JSON.parse(
    readFileSync(CATALOGUE, "utf8").replaceAll("azure_subscription_id", PROD),
  ) as unknown[];
  return raw.map((r, i) => normaliseRoleDefinition(r, `catalogue[${i}]`));
}

function customRole(
  guid: string,
  roleName: string,
  description: string,
  actions: string[],
): ArmRoleDefinition {
  return armRoleDefinition({
    guid,
    roleName,
    actions,
    scope: `/subscriptions/${PROD}`,
    type: "CustomRole",
    description,
    assignableScopes: [`/subscriptions/${PROD}`, `/subscriptions/${DEV}`],
    createdOn: "2024-01-01T00:00:00.0000000Z",
    createdBy: OPS1,
  });
}

const responderRole = customRole(
  RESPONDER_ROLE,
  "Unregister Responder",
  "Least privilege for unregister-responder: read assignments, PIM schedule instances, definitions, providers and the activity log; delete and restore role assignments; re-register resource providers.",
  [
    "Microsoft.Authorization/roleAssignments/read",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/read",
    "Microsoft.Authorization/roleAssignmentScheduleInstances/read",
    "Microsoft.Resources/subscriptions/read",
    "Microsoft.Resources/subscriptions/providers/read",
    "*/register/action",
    "Microsoft.Insights/eventtypes/values/read",
  ],
);
const logReaderRole = customRole(LOG_READER_ROLE, "Contoso Log Reader", "Reads monitoring data and logs.", [
  "Microsoft.Insights/*/read",
  "Microsoft.OperationalInsights/workspaces/query/read",
  "Microsoft.OperationalInsights/workspaces/read",
]);

// ---- the story's principals and assignments --------------------------------------------------------------------
function user(id: string, displayName: string, upn: string, userType = "Member"): DirectoryObject {
  return {
    "@odata.type": "#microsoft.graph.user",
    id,
    displayName,
    userPrincipalName: upn,
    mail: upn.includes("#EXT#") ? "evil@mail.example" : upn,
    userType,
    accountEnabled: true,
  };
}

const storyPrincipals: DirectoryObject[] = [
  user(ALEX, "Alex Doe", "alex.doe@contoso.example"),
  user(GUEST, "evil", "evil_mail.example#EXT#@contoso.onmicrosoft.com", "Guest"),
  user(BREAK_GLASS, "Break Glass", "breakglass@contoso.example"),
  user(OPS1, "Ops One", "ops1@contoso.example"),
  user(OPS2, "Ops Two", "ops2@contoso.example"),
  user(DEV_USER, "Dana Dev", "dana.dev@contoso.example"),
  {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: FOREIGN_SP,
    appId: FOREIGN_APPID,
    displayName: "Fabrikam Sync",
    servicePrincipalType: "Application",
    appOwnerOrganizationId: FABRIKAM,
    accountEnabled: true,
    alternativeNames: [],
  },
  {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: SP_DEPLOYER,
    appId: SP_DEPLOYER_APPID,
    displayName: "sp-deployer",
    servicePrincipalType: "Application",
    appOwnerOrganizationId: TENANT,
    accountEnabled: true,
    alternativeNames: [],
  },
  {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: ID_RUNNER,
    appId: ID_RUNNER_APPID,
    displayName: "id-runner",
    servicePrincipalType: "ManagedIdentity",
    appOwnerOrganizationId: null,
    accountEnabled: true,
    alternativeNames: ["isExplicit=True", ID_RUNNER_RESOURCE],
  },
  {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: RESPONDER,
    appId: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
    displayName: "id-unregister-responder",
    servicePrincipalType: "ManagedIdentity",
    appOwnerOrganizationId: null,
    accountEnabled: true,
    alternativeNames: [
      "isExplicit=True",
      `/subscriptions/${PROD}/resourcegroups/rg-responder/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-unregister-responder`,
    ],
  },
];

const TYPE_OF: Record<string, string> = {
  [ALEX]: "User",
  [GUEST]: "User",
  [BREAK_GLASS]: "User",
  [OPS1]: "User",
  [OPS2]: "User",
  [DEV_USER]: "User",
  [DELETED]: "User",
  [FOREIGN_SP]: "ServicePrincipal",
  [SP_DEPLOYER]: "ServicePrincipal",
  [ID_RUNNER]: "ServicePrincipal",
  [RESPONDER]: "ServicePrincipal",
};

function assignment(
  name: string,
  principalId: string,
  role: string,
  scope: string,
  createdOn: string,
  createdBy: string | null,
): ArmRoleAssignment {
  const principalType = TYPE_OF[principalId] ?? "User";
  return armRoleAssignment({ scope, name, principalId, principalType, role, createdOn, createdBy });
}

const PROD_SCOPE = `/subscriptions/${PROD}`;
const DEV_SCOPE = `/subscriptions/${DEV}`;
/** Break-glass Owner, deleted at T0−1h by alex (E3): kept only for the activity log's responseBody. */
const breakGlassOwner = assignment(
  "22222222-0000-4000-8000-000000000001",
  BREAK_GLASS,
  OWNER,
  PROD_SCOPE,
  "2023-01-01T00:00:00.0000000Z",
  OPS1,
);
const storyAssignments: ArmRoleAssignment[] = [
  assignment("11111111-0000-4000-8000-000000000001", GUEST, OWNER, PROD_SCOPE, at(-2 * H), ALEX),
  assignment(
    "11111111-0000-4000-8000-000000000002",
    FOREIGN_SP,
    CONTRIBUTOR,
    `${PROD_SCOPE}/resourceGroups/rg-app`,
    at(-90),
    ALEX,
  ),
  assignment("11111111-0000-4000-8000-000000000003", FOREIGN_SP, UAA, PROD_SCOPE, at(30), ALEX),
  assignment(
    "33333333-0000-4000-8000-000000000001",
    ALEX,
    OWNER,
    PROD_SCOPE,
    "2024-02-01T00:00:00.0000000Z",
    OPS1,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000002",
    SP_DEPLOYER,
    OWNER,
    PROD_SCOPE,
    "2024-05-01T00:00:00.0000000Z",
    OPS1,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000003",
    ID_RUNNER,
    CONTRIBUTOR,
    PROD_SCOPE,
    "2024-05-01T00:00:00.0000000Z",
    OPS1,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000004",
    OPS1,
    OWNER,
    PROD_SCOPE,
    "2023-01-01T00:00:00.0000000Z",
    null,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000005",
    OPS2,
    OWNER,
    PROD_SCOPE,
    "2023-01-01T00:00:00.0000000Z",
    null,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000006",
    DELETED,
    READER,
    PROD_SCOPE,
    "2022-06-01T00:00:00.0000000Z",
    null,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000007",
    DEV_USER,
    OWNER,
    DEV_SCOPE,
    "2023-01-01T00:00:00.0000000Z",
    null,
  ),
  assignment(
    "33333333-0000-4000-8000-000000000008",
    RESPONDER,
    RESPONDER_ROLE,
    PROD_SCOPE,
    "2024-01-01T00:00:00.0000000Z",
    null,
  ),
  // ops-1, eligible for Contributor on dev, activated it through PIM the next day (T0+30h, after every watch
  // window of the story closed): the classic assignment PIM created for the activation.
  assignment("44444444-0000-4000-8000-000000000001", OPS1, CONTRIBUTOR, DEV_SCOPE, at(30 * H), OPS1),
];

/** The PIM records behind some story assignments (SCENARIO.md "PIM"). */
const byName = (name: string): ArmRoleAssignment => storyAssignments.find((a) => a.name === name)!;
const pimInstances: ArmScheduleInstance[] = [
  // ops-2's Owner on prod was assigned through PIM as an active, permanent assignment.
  armScheduleInstance({
    assignment: byName("33333333-0000-4000-8000-000000000005"),
    assignmentType: "Assigned",
    startDateTime: "2023-01-01T00:00:00.0000000Z",
    endDateTime: null,
  }),
  // ops-1's 8-hour activation of an eligible Contributor on dev.
  armScheduleInstance({
    assignment: byName("44444444-0000-4000-8000-000000000001"),
    assignmentType: "Activated",
    startDateTime: at(30 * H),
    endDateTime: at(38 * H),
    eligibilityScheduleName: "e1161b1e-0000-4000-8000-000000000001",
  }),
];

// ---- activity log: Started + outcome rows of E1–E11 (E12 deliberately absent) ---------------------------------
interface Op {
  correlationId: string;
  minutes: number;
  caller: string;
  callerObjectId: string;
  operation: string;
  localized: string;
  resourceId: string;
  subscription: string;
  outcome: "Succeeded" | "Failed";
  responseBody?: unknown;
}

const ALEX_UPN = "alex.doe@contoso.example";
const raId = roleAssignmentId;
const OPS: Op[] = [
  {
    correlationId: "c0000000-0000-4000-8000-000000000001",
    minutes: -2 * H,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Authorization/roleAssignments/write",
    localized: "Create role assignment",
    resourceId: raId(PROD_SCOPE, "11111111-0000-4000-8000-000000000001"),
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000002",
    minutes: -90,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Authorization/roleAssignments/write",
    localized: "Create role assignment",
    resourceId: raId(`${PROD_SCOPE}/resourceGroups/rg-app`, "11111111-0000-4000-8000-000000000002"),
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000003",
    minutes: -H,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Authorization/roleAssignments/delete",
    localized: "Delete role assignment",
    resourceId: breakGlassOwner.id,
    subscription: PROD,
    outcome: "Succeeded",
    responseBody: breakGlassOwner,
  },
  {
    correlationId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    minutes: 0,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Security/unregister/action",
    localized: "Unregisters the subscription with Microsoft.Security",
    resourceId: `${PROD_SCOPE}/providers/Microsoft.Security`,
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000005",
    minutes: 30,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Authorization/roleAssignments/write",
    localized: "Create role assignment",
    resourceId: raId(PROD_SCOPE, "11111111-0000-4000-8000-000000000003"),
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000006",
    minutes: 2 * H,
    caller: SP_DEPLOYER,
    callerObjectId: SP_DEPLOYER,
    operation: "Microsoft.Insights/Unregister/Action",
    localized: "Unregister Microsoft Insights",
    resourceId: `${PROD_SCOPE}/providers/Microsoft.Insights`,
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000007",
    minutes: 3 * H,
    caller: ID_RUNNER,
    callerObjectId: ID_RUNNER,
    operation: "Microsoft.AAD/unregister/action",
    localized: "Unregister Domain Service",
    resourceId: `${PROD_SCOPE}/providers/Microsoft.AAD`,
    subscription: PROD,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000008",
    minutes: 4 * H,
    caller: ALEX_UPN,
    callerObjectId: ALEX,
    operation: "Microsoft.Security/unregister/action",
    localized: "Unregisters the subscription with Microsoft.Security",
    resourceId: `${PROD_SCOPE}/providers/Microsoft.Security`,
    subscription: PROD,
    outcome: "Failed",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000009",
    minutes: 5 * H,
    caller: "dana.dev@contoso.example",
    callerObjectId: DEV_USER,
    operation: "Microsoft.Kusto/Unregister/action",
    localized: "Unregisters the subscription with Microsoft.Kusto",
    resourceId: `${DEV_SCOPE}/providers/Microsoft.Kusto`,
    subscription: DEV,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000010",
    minutes: 5 * H,
    caller: "dana.dev@contoso.example",
    callerObjectId: DEV_USER,
    operation: "Microsoft.Features/providers/features/unregister/action",
    localized: "Unregister feature",
    resourceId: `${DEV_SCOPE}/providers/Microsoft.Features/providers/Microsoft.Compute/features/EncryptionAtHost`,
    subscription: DEV,
    outcome: "Succeeded",
  },
  {
    correlationId: "c0000000-0000-4000-8000-000000000011",
    minutes: 5 * H,
    caller: "dana.dev@contoso.example",
    callerObjectId: DEV_USER,
    operation: "Microsoft.Kusto/register/action",
    localized: "Registers the subscription with Microsoft.Kusto",
    resourceId: `${DEV_SCOPE}/providers/Microsoft.Kusto`,
    subscription: DEV,
    outcome: "Succeeded",
  },
];

function ticks(iso: string): string {
  return (BigInt(Date.parse(iso)) * 10_000n + 621_355_968_000_000_000n).toString();
}

function activityRows(op: Op, index: number): ActivityLogEntry[] {
  const provider = op.operation.split("/")[0] as string;
  const operationId = `0be7a710-0000-4000-8000-${String(index + 1).padStart(12, "0")}`;
  const row = (phase: "Started" | "Succeeded" | "Failed", time: string, n: number): ActivityLogEntry => {
    const eventDataId = `eda7a000-0000-4000-8000-${String(index * 2 + n).padStart(12, "0")}`;
    const end = phase !== "Started";
    return {
      authorization: { action: op.operation, scope: op.resourceId },
      caller: op.caller,
      channels: "Operation",
      claims: {
        aud: "https://management.azure.com/",
        iss: `https://sts.windows.net/${TENANT}/`,
        "http://schemas.microsoft.com/identity/claims/objectidentifier": op.callerObjectId,
        "http://schemas.microsoft.com/identity/claims/tenantid": TENANT,
        ver: "1.0",
        ...(op.caller.includes("@")
          ? { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": op.caller }
          : { idtyp: "app" }),
      },
      correlationId: op.correlationId,
      description: "",
      eventDataId,
      eventName: end
        ? { value: "EndRequest", localizedValue: "End request" }
        : { value: "BeginRequest", localizedValue: "Begin request" },
      category: { value: "Administrative", localizedValue: "Administrative" },
      eventTimestamp: time,
      id: `${op.resourceId}/events/${eventDataId}/ticks/${ticks(time)}`,
      level: phase === "Failed" ? "Error" : "Informational",
      operationId,
      operationName: { value: op.operation, localizedValue: op.localized },
      resourceGroupName: /\/resourceGroups\/([^/]+)/i.exec(op.resourceId)?.[1] ?? "",
      resourceProviderName: { value: provider, localizedValue: provider },
      resourceType: { value: provider, localizedValue: provider },
      resourceId: op.resourceId,
      status: { value: phase, localizedValue: phase },
      subStatus: end
        ? phase === "Failed"
          ? { value: "Conflict", localizedValue: "Conflict (HTTP Status Code: 409)" }
          : { value: "OK", localizedValue: "OK (HTTP Status Code: 200)" }
        : { value: "", localizedValue: "" },
      submissionTimestamp: new Date(Date.parse(time) + 78_000).toISOString(),
      subscriptionId: op.subscription,
      tenantId: TENANT,
      properties: {
        eventCategory: "Administrative",
        entity: op.resourceId,
        message: op.operation,
        hierarchy: `${TENANT}/${op.subscription}`,
        ...(end ? { statusCode: phase === "Failed" ? "Conflict" : "OK" } : {}),
        ...(end && op.responseBody ? { responseBody: JSON.stringify(op.responseBody) } : {}),
      },
      relatedEvents: [],
    };
  };
  return [row("Started", at(op.minutes, -412), 0), row(op.outcome, at(op.minutes), 1)];
}

// ---- providers --------------------------------------------------------------------------------------------------
const USUAL = [
  "Microsoft.Compute",
  "Microsoft.Network",
  "Microsoft.Storage",
  "Microsoft.KeyVault",
  "Microsoft.ManagedIdentity",
  "Microsoft.OperationalInsights",
  "Microsoft.PolicyInsights",
  "Microsoft.GuestConfiguration",
  "Microsoft.EventGrid",
  "Microsoft.Web",
  "Microsoft.Features",
  "Microsoft.ResourceHealth",
];
const providers = (extra: Record<string, string>) => [
  ...USUAL.map((namespace) => ({ namespace, registrationState: "Registered" })),
  ...Object.entries(extra).map(([namespace, registrationState]) => ({ namespace, registrationState })),
];

// ---- assemble -----------------------------------------------------------------------------------------------------
const rgs = (sub: string, names: string[]) => names.map((rg) => `/subscriptions/${sub}/resourceGroups/${rg}`);
const ordinaryScopes = [
  PROD_SCOPE,
  DEV_SCOPE,
  ...rgs(PROD, ["rg-app", "rg-data", "rg-web", "rg-automation", "rg-monitoring"]),
  ...rgs(DEV, ["rg-sandbox", "rg-experiments"]),
  `/subscriptions/${PROD}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stcontosodata`,
  `/subscriptions/${PROD}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-contoso-app`,
];
/** Reader, data-plane and reader-style roles only: the ordinary population must never look privileged. */
const ordinaryRoles = [
  READER,
  READER,
  READER,
  "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
  "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
  "43d0d8ad-25c7-4714-9337-8ba259a9fe05", // Monitoring Reader
  "73c42c96-874c-492b-b04d-ab87d138a893", // Log Analytics Reader
  LOG_READER_ROLE,
];

const population = generatePopulation({
  seed: SEED,
  principals: 140,
  assignments: 320,
  from: new Date("2022-01-01T00:00:00Z"),
  before: new Date(T0 - 31 * 24 * 3_600_000),
  scopes: ordinaryScopes,
  roleGuids: ordinaryRoles,
  tenantId: TENANT,
  createdBy: OPS1,
});

const snapshot: TenantSnapshot = {
  tenantId: TENANT,
  generatedBy: `scripts/make-sample-tenant.ts (seed ${SEED}); story from samples/SCENARIO.md`,
  subscriptions: [
    {
      id: PROD,
      displayName: "contoso-prod",
      providers: providers({
        "Microsoft.Security": "NotRegistered",
        "Microsoft.Insights": "NotRegistered",
        "Microsoft.AAD": "NotRegistered",
        "Microsoft.Kusto": "NotRegistered",
      }),
    },
    {
      id: DEV,
      displayName: "contoso-dev",
      providers: providers({
        "Microsoft.Security": "Registered",
        "Microsoft.Insights": "Registered",
        "Microsoft.AAD": "NotRegistered",
        "Microsoft.Kusto": "Registered",
      }),
    },
  ],
  roleDefinitions: [...catalogue(), responderRole, logReaderRole],
  roleAssignments: [...storyAssignments, ...population.roleAssignments],
  roleAssignmentScheduleInstances: pimInstances,
  principals: [...storyPrincipals, ...population.principals],
  applications: [
    {
      id: SP_DEPLOYER_APP,
      appId: SP_DEPLOYER_APPID,
      displayName: "sp-deployer",
      passwordCredentials: [
        {
          keyId: "5ec0c0de-0000-4000-8000-000000000001",
          displayName: "pipeline 2024",
          hint: "Xy1",
          startDateTime: "2024-05-01T00:00:00Z",
          endDateTime: "2026-05-01T00:00:00Z",
        },
        {
          keyId: "5ec0c0de-0000-4000-8000-000000000002",
          displayName: "temp",
          hint: "q8Z",
          startDateTime: at(-3 * H),
          endDateTime: "2027-03-14T06:26:53Z",
        },
      ],
      keyCredentials: [],
    },
  ],
  activityLog: OPS.flatMap(activityRows),
};

// Validate what we write with the same loader every consumer uses.
parseSnapshot(JSON.parse(JSON.stringify(snapshot)), OUT);
const text = `${JSON.stringify(snapshot, null, 1)}\n`;
writeFileSync(OUT, text);
console.log(
  `${OUT}: ${snapshot.roleDefinitions.length} role definitions, ${snapshot.roleAssignments.length} assignments, ${snapshot.principals.length} principals, ${snapshot.activityLog.length} activity rows, ${pimInstances.length} PIM schedule instances, ${(text.length / 1024).toFixed(0)} KiB`,
);
