// `snapshot --subscription ID`: writes a TenantSnapshot (DESIGN.md "Tenant snapshot") read through the same
// tenant ports the responder uses, from a live tenant (--live) or from another snapshot through the
// simulator (--tenant; for tests and round trips).
import { writeFile } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import { canonicalGuid, loadSettings } from "../../config/settings";
import { openTenant } from "../../tenant/open";
import type {
  ActivityRecord,
  ApplicationInfo,
  Principal,
  RoleAssignment,
  RoleAssignmentScheduleInstance,
  RoleDefinition,
  Tenant,
} from "../../tenant/ports";
import { TenantError } from "../../tenant/errors";
import type {
  ActivityLogEntry,
  ArmRoleAssignment,
  ArmRoleDefinition,
  ArmScheduleInstance,
  DirectoryObject,
  SnapshotApplication,
  TenantSnapshot,
} from "../../tenant/snapshot";
import { UsageError, type CliIO, type Command } from "../types";

const USAGE = `usage: unregister-responder snapshot --subscription ID [--subscription ID…] [--out FILE]
                                     [--days N | --since TIME] [--until TIME] [--tenant SNAPSHOT | --live]

Writes a tenant snapshot (providers, role definitions, role assignments, the principals behind them, the
applications behind service principals, and the activity log of the last N days, default 7) as JSON to
FILE or stdout. --live reads Azure with the default credential (AZURE_CLOUD picks the cloud); --tenant reads
another snapshot through the simulator (default samples/tenant.json).`;

export interface SnapshotWindow {
  from: Date;
  to: Date;
}

export interface SnapshotStats {
  subscriptions: number;
  providers: number;
  roleDefinitions: number;
  roleAssignments: number;
  principals: number;
  missingPrincipals: number;
  applications: number;
  activityLog: number;
  /** PIM schedule instances; null when the identity may not read them (the snapshot then has none). */
  scheduleInstances: number | null;
}

// ---- port types -> snapshot (ARM REST / Graph) shapes

function armAssignment(a: RoleAssignment): ArmRoleAssignment {
  return {
    id: a.id,
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      description: a.description,
      condition: a.condition,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
      updatedBy: a.updatedBy,
      delegatedManagedIdentityResourceId: null,
    },
  };
}

function armScheduleInstance(i: RoleAssignmentScheduleInstance): ArmScheduleInstance {
  return {
    id: i.id,
    name: i.name,
    type: "Microsoft.Authorization/roleAssignmentScheduleInstances",
    properties: {
      scope: i.scope,
      roleDefinitionId: i.roleDefinitionId,
      principalId: i.principalId,
      principalType: i.principalType,
      roleAssignmentScheduleId: null,
      originRoleAssignmentId: i.roleAssignmentId,
      status: i.status,
      startDateTime: i.startDateTime,
      endDateTime: i.endDateTime,
      linkedRoleEligibilityScheduleId: i.linkedRoleEligibilityScheduleId,
      linkedRoleEligibilityScheduleInstanceId: null,
      assignmentType: i.assignmentType,
      memberType: i.memberType,
      condition: null,
      conditionVersion: null,
      createdOn: i.startDateTime,
    },
  };
}

/** PIM facts are optional: an identity without the read permission still gets a snapshot, without them. */
async function scheduleInstancesOrNull(
  tenant: Tenant,
  sub: string,
): Promise<RoleAssignmentScheduleInstance[] | null> {
  try {
    return await tenant.roleAssignments.listScheduleInstances(sub);
  } catch (err) {
    if (err instanceof TenantError) return null;
    throw err;
  }
}

function armDefinition(d: RoleDefinition): ArmRoleDefinition {
  return {
    id: d.id,
    name: d.name,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: d.roleName,
      type: d.roleType,
      description: d.description,
      assignableScopes: d.assignableScopes,
      permissions: d.permissions,
      createdOn: null,
      updatedOn: null,
      createdBy: null,
      updatedBy: null,
    },
  };
}

function directoryObject(p: Principal): DirectoryObject {
  const { id, odataType, kind: _kind, ...rest } = p;
  const out: DirectoryObject = { "@odata.type": odataType, id };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  return out;
}

function application(a: ApplicationInfo): SnapshotApplication {
  const creds = (kind: "password" | "certificate") =>
    a.credentials
      .filter((c) => c.kind === kind)
      .map((c) => ({
        keyId: c.keyId,
        displayName: c.displayName,
        startDateTime: c.startDateTime,
        endDateTime: c.endDateTime,
      }));
  return {
    id: a.id,
    appId: a.appId,
    displayName: a.displayName,
    passwordCredentials: creds("password"),
    keyCredentials: creds("certificate"),
  };
}

function activityEntry(r: ActivityRecord, subscriptionId: string, index: number): ActivityLogEntry {
  return {
    // The snapshot format requires both ids; ARM always sends them, but a record without one is kept
    // (marked) rather than dropped.
    eventDataId: r.eventDataId ?? `missing-event-data-id-${index}`,
    correlationId: r.correlationId ?? "00000000-0000-0000-0000-000000000000",
    operationName: { value: r.operationName, localizedValue: r.operationName },
    status: { value: r.status, localizedValue: r.status },
    eventTimestamp: r.eventTimestamp,
    caller: r.caller,
    resourceId: r.resourceId,
    subscriptionId,
  };
}

/** Reads everything a snapshot holds for the given subscriptions through the ports. */
export async function buildSnapshot(
  tenant: Tenant,
  subscriptionIds: string[],
  window: SnapshotWindow,
): Promise<{ snapshot: TenantSnapshot; stats: SnapshotStats; missingPrincipals: string[] }> {
  const perSub = await Promise.all(
    subscriptionIds.map(async (sub) => {
      const [providers, definitions, assignments, activity, pim] = await Promise.all([
        tenant.providers.list(sub),
        tenant.roleDefinitions.list(`/subscriptions/${sub}`),
        tenant.roleAssignments.listForSubscription(sub),
        tenant.activityLog.list(sub, window.from, window.to),
        scheduleInstancesOrNull(tenant, sub),
      ]);
      return { sub, providers, definitions, assignments, activity, pim };
    }),
  );

  const definitions = new Map<string, RoleDefinition>();
  const assignments = new Map<string, RoleAssignment>();
  const activity: ActivityLogEntry[] = [];
  const pim = new Map<string, RoleAssignmentScheduleInstance>();
  for (const s of perSub) {
    for (const i of s.pim ?? []) pim.set(i.id.toLowerCase(), i);
    for (const d of s.definitions) if (!definitions.has(d.name)) definitions.set(d.name, d);
    for (const a of s.assignments) assignments.set(a.id.toLowerCase(), a);
    s.activity.forEach((r, i) => activity.push(activityEntry(r, s.sub, activity.length + i)));
  }

  // Principals behind assignments, then the applications behind service principals: two lookups, the
  // second only for appIds learnt from the first.
  const principalIds = [...new Set([...assignments.values()].map((a) => a.principalId))];
  const lookup = await tenant.directory.resolve(principalIds);
  const appIds = [...lookup.found.values()]
    .filter((p) => p.kind === "servicePrincipal" && p.appId)
    .map((p) => p.appId as string);
  const apps = appIds.length
    ? (await tenant.directory.resolve([], { applicationAppIds: appIds })).applications
    : new Map();
  const applications = [...apps.values()].filter((a): a is ApplicationInfo => a !== null).map(application);

  const snapshot: TenantSnapshot = {
    tenantId: tenant.tenantId,
    subscriptions: perSub.map((s) => ({
      id: s.sub,
      providers: s.providers.map((p) => ({ namespace: p.namespace, registrationState: p.registrationState })),
    })),
    roleDefinitions: [...definitions.values()].map(armDefinition),
    roleAssignments: [...assignments.values()].map(armAssignment),
    roleAssignmentScheduleInstances: [...pim.values()].map(armScheduleInstance),
    principals: [...lookup.found.values()].map(directoryObject),
    applications,
    activityLog: activity,
    generatedBy: `unregister-responder snapshot ${window.from.toISOString()}..${window.to.toISOString()}`,
  };
  const stats: SnapshotStats = {
    subscriptions: perSub.length,
    providers: snapshot.subscriptions.reduce((n, s) => n + s.providers.length, 0),
    roleDefinitions: snapshot.roleDefinitions.length,
    roleAssignments: snapshot.roleAssignments.length,
    principals: snapshot.principals.length,
    missingPrincipals: lookup.missing.length,
    applications: applications.length,
    activityLog: activity.length,
    scheduleInstances: perSub.some((s) => s.pim === null) ? null : pim.size,
  };
  return { snapshot, stats, missingPrincipals: lookup.missing };
}

function parseTime(value: string, flag: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${flag} must be a time (ISO 8601), got "${value}"`);
  return d;
}

export function parseSnapshotArgs(argv: string[], now = new Date()) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        subscription: { type: "string", multiple: true },
        out: { type: "string" },
        days: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        tenant: { type: "string" },
        live: { type: "boolean" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const subscriptions = (v.subscription ?? []).map((s) => {
    const g = canonicalGuid(s);
    if (!g) throw new UsageError(`--subscription must be a subscription id (GUID), got "${s}"`);
    return g;
  });
  if (!subscriptions.length) throw new UsageError("--subscription ID is required");
  if (v.live && v.tenant) throw new UsageError("--live and --tenant exclude each other");
  if (v.days !== undefined && v.since !== undefined)
    throw new UsageError("--days and --since exclude each other");
  const to = v.until ? parseTime(v.until, "--until") : now;
  let from: Date;
  if (v.since) from = parseTime(v.since, "--since");
  else {
    const days = v.days === undefined ? 7 : Number(v.days);
    if (!Number.isFinite(days) || days <= 0 || days > 90)
      throw new UsageError(`--days must be a number from 1 to 90, got "${v.days}"`);
    from = new Date(to.getTime() - days * 24 * 60 * 60 * 1000);
  }
  if (from > to) throw new UsageError("the window starts after it ends (--since/--days and --until)");
  return {
    subscriptions: [...new Set(subscriptions)],
    out: v.out,
    window: { from, to },
    tenant: v.tenant,
    live: Boolean(v.live),
  };
}

export const command: Command = {
  name: "snapshot",
  summary: "Write a tenant snapshot from a live tenant",
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseSnapshotArgs(argv);
    let settings;
    try {
      settings = loadSettings(io.env, { mode: "plan" });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const opened = await openTenant({
      ...(args.tenant ? { snapshot: resolvePath(io.cwd, args.tenant) } : {}),
      live: args.live,
      settings,
      cwd: io.cwd,
    });
    try {
      const { snapshot, stats, missingPrincipals } = await buildSnapshot(
        opened.tenant,
        args.subscriptions,
        args.window,
      );
      const json = `${JSON.stringify(snapshot, null, 2)}\n`;
      if (args.out) await writeFile(resolvePath(io.cwd, args.out), json);
      else io.stdout.write(json);
      io.stderr.write(`snapshot: ${JSON.stringify(stats)}\n`);
      if (missingPrincipals.length)
        io.stderr.write(
          `snapshot: ${missingPrincipals.length} principal(s) not found in the directory (deleted?): ${missingPrincipals.slice(0, 10).join(", ")}${missingPrincipals.length > 10 ? ", …" : ""}\n`,
        );
      return 0;
    } finally {
      await opened.close();
    }
  },
};
