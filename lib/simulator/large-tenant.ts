// Seeded, deterministic tenant populations: the "ordinary" assignments of samples/tenant.json and the large
// tenants of the review benchmark. Same seed, same tenant, byte for byte.
import type {
  ArmRoleAssignment,
  ArmRoleDefinition,
  DirectoryObject,
  TenantSnapshot,
} from "../tenant/snapshot";
import { armRoleAssignment, armRoleDefinition, BUILTIN_ROLE } from "./builders";

/** mulberry32: tiny, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededGuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

const FIRST = [
  "ana",
  "ben",
  "chloe",
  "dev",
  "eli",
  "fay",
  "gus",
  "hana",
  "ivan",
  "jo",
  "kai",
  "lea",
  "max",
  "nia",
  "omar",
  "pia",
];
const LAST = ["smith", "garcia", "khan", "novak", "okafor", "tanaka", "muller", "rossi", "silva", "berg"];
const OTHER_TENANTS = ["0c0ffee0-1111-4222-8333-444455556666", "2f3e4d5c-6b7a-4988-a7b6-c5d4e3f2a1b0"];
/** Microsoft's first-party tenant: owner of Microsoft apps' service principals in every tenant. */
export const MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export interface PopulationOptions {
  seed: number;
  principals: number;
  assignments: number;
  /** Every createdOn falls in [from, before). */
  from: Date;
  before: Date;
  /** Scopes assignments are spread over (subscriptions, resource groups, resources). */
  scopes: string[];
  /** Role definition GUIDs to assign (should be non-privileged for an "ordinary" population). */
  roleGuids: string[];
  tenantId: string;
  /** Id of an existing principal that created them (createdBy); null for old ones. */
  createdBy?: string | null;
}

export interface Population {
  principals: DirectoryObject[];
  roleAssignments: ArmRoleAssignment[];
}

type Kind = "member" | "guest" | "group" | "sp" | "foreignSp" | "msi";
const KIND_MIX: readonly Kind[] = [
  "member",
  "member",
  "member",
  "member",
  "member",
  "guest",
  "group",
  "sp",
  "foreignSp",
  "msi",
];

function makePrincipal(
  rand: () => number,
  kind: Kind,
  i: number,
  tenantId: string,
  scopes: string[],
): DirectoryObject {
  const id = seededGuid(rand);
  const name = `${pick(rand, FIRST)}.${pick(rand, LAST)}${i}`;
  switch (kind) {
    case "member":
    case "guest":
      return {
        "@odata.type": "#microsoft.graph.user",
        id,
        displayName: name.replace(".", " "),
        userPrincipalName:
          kind === "member"
            ? `${name}@contoso.example`
            : `${name}_partner.example#EXT#@contoso.onmicrosoft.com`,
        mail: kind === "member" ? `${name}@contoso.example` : `${name}@partner.example`,
        userType: kind === "member" ? "Member" : "Guest",
        accountEnabled: rand() > 0.05,
      };
    case "group":
      return {
        "@odata.type": "#microsoft.graph.group",
        id,
        displayName: `grp-${name}`,
        securityEnabled: true,
        members: [],
      };
    case "msi": {
      const scope =
        pick(
          rand,
          scopes.filter((s) => /resourcegroups/i.test(s)),
        ) ??
        scopes[0] ??
        "";
      return {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id,
        appId: seededGuid(rand),
        displayName: `id-${name}`,
        servicePrincipalType: "ManagedIdentity",
        appOwnerOrganizationId: null,
        accountEnabled: true,
        alternativeNames: [
          "isExplicit=True",
          `${scope}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${name}`,
        ],
      };
    }
    default:
      return {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id,
        appId: seededGuid(rand),
        displayName: `app-${name}`,
        servicePrincipalType: "Application",
        appOwnerOrganizationId: kind === "foreignSp" ? pick(rand, OTHER_TENANTS) : tenantId,
        accountEnabled: true,
        alternativeNames: [],
      };
  }
}

const PRINCIPAL_TYPE: Record<string, string> = {
  "#microsoft.graph.user": "User",
  "#microsoft.graph.group": "Group",
  "#microsoft.graph.servicePrincipal": "ServicePrincipal",
};

function isoBetween(rand: () => number, from: Date, before: Date): string {
  return new Date(from.getTime() + Math.floor(rand() * (before.getTime() - from.getTime()))).toISOString();
}

/** A population of principals (with group memberships) and assignments spread over scopes and roles. */
export function generatePopulation(o: PopulationOptions): Population {
  const rand = seededRandom(o.seed);
  const principals = Array.from({ length: o.principals }, (_, i) =>
    makePrincipal(rand, pick(rand, KIND_MIX), i, o.tenantId, o.scopes),
  );
  const groups = principals.filter((p) => p["@odata.type"] === "#microsoft.graph.group");
  const users = principals.filter((p) => p["@odata.type"] !== "#microsoft.graph.group");
  for (const g of groups) {
    const members = new Set<string>();
    for (let k = 0; k < 2 + Math.floor(rand() * 6) && users.length; k++) members.add(pick(rand, users).id);
    g.members = [...members];
  }
  // One nested group, so assignedTo() expansion has something to expand.
  if (groups.length >= 2) (groups[0] as DirectoryObject).members?.push((groups[1] as DirectoryObject).id);

  const roleAssignments: ArmRoleAssignment[] = [];
  const seen = new Set<string>();
  for (let i = 0; roleAssignments.length < o.assignments && i < o.assignments * 4; i++) {
    const principal = pick(rand, principals);
    const scope = pick(rand, o.scopes);
    const role = pick(rand, o.roleGuids);
    const key = `${principal.id}|${role}|${scope.toLowerCase()}`;
    if (seen.has(key)) continue; // ARM refuses duplicates (RoleAssignmentExists)
    seen.add(key);
    const name = seededGuid(rand);
    const createdOn = isoBetween(rand, o.from, o.before);
    roleAssignments.push(
      armRoleAssignment({
        scope,
        name,
        principalId: principal.id,
        principalType: PRINCIPAL_TYPE[principal["@odata.type"]] ?? "Unknown",
        role,
        createdOn,
        createdBy: o.createdBy ?? null,
      }),
    );
  }
  return { principals, roleAssignments };
}

// Core built-in definitions, so a large tenant works without the 427-role catalogue.
const builtIn = (guid: string, roleName: string, actions: string[], notActions: string[] = []) =>
  armRoleDefinition({ guid, roleName, actions, notActions });

export const CORE_ROLE_DEFINITIONS: ArmRoleDefinition[] = [
  builtIn(BUILTIN_ROLE.owner, "Owner", ["*"]),
  builtIn(
    BUILTIN_ROLE.contributor,
    "Contributor",
    ["*"],
    [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  ),
  builtIn(BUILTIN_ROLE.userAccessAdministrator, "User Access Administrator", [
    "*/read",
    "Microsoft.Authorization/*",
    "Microsoft.Support/*",
  ]),
  builtIn(BUILTIN_ROLE.reader, "Reader", ["*/read"]),
];

export interface LargeTenantOptions {
  assignments: number;
  principals: number;
  seed: number;
  /** Extend this snapshot (e.g. samples/tenant.json) instead of starting from an empty tenant. */
  base?: TenantSnapshot;
  /** Privileged share of the roles used (Owner/Contributor); default 0.1. */
  privilegedShare?: number;
}

const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";

/** A big tenant for the review benchmark: `principals` principals, `assignments` assignments, deterministic. */
export function generateLargeTenant(o: LargeTenantOptions): TenantSnapshot {
  const base: TenantSnapshot = o.base
    ? structuredClone(o.base)
    : {
        tenantId: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
        subscriptions: [
          {
            id: PROD,
            displayName: "prod",
            providers: [{ namespace: "Microsoft.Security", registrationState: "Registered" }],
          },
        ],
        roleDefinitions: structuredClone(CORE_ROLE_DEFINITIONS),
        roleAssignments: [],
        principals: [],
        applications: [],
        activityLog: [],
      };
  const subs = base.subscriptions.map((s) => `/subscriptions/${s.id}`);
  const scopes = subs.flatMap((s) => [
    s,
    ...["rg-app", "rg-data", "rg-web", "rg-ops"].map((rg) => `${s}/resourceGroups/${rg}`),
  ]);
  const reader = BUILTIN_ROLE.reader;
  const share = o.privilegedShare ?? 0.1;
  const privileged = Math.round(10 * share);
  const roleGuids = [
    ...Array.from({ length: 10 - privileged }, () => reader),
    ...Array.from({ length: privileged }, (_, i) => (i % 2 ? BUILTIN_ROLE.owner : BUILTIN_ROLE.contributor)),
  ];
  const pop = generatePopulation({
    seed: o.seed,
    principals: o.principals,
    assignments: o.assignments,
    from: new Date("2021-01-01T00:00:00Z"),
    before: new Date("2025-01-01T00:00:00Z"),
    scopes,
    roleGuids,
    tenantId: base.tenantId,
  });
  base.principals.push(...pop.principals);
  base.roleAssignments.push(...pop.roleAssignments);
  base.generatedBy = `generateLargeTenant(seed=${o.seed}, principals=${o.principals}, assignments=${o.assignments})`;
  return base;
}
