// Tenant snapshot: one JSON file that stands in for a tenant offline (replay) and seeds the simulator.
// Role assignments and definitions are accepted in ARM REST shape (`{id,name,type,properties:{…}}`) and in
// the flat shape `az role assignment list --all` / `az role definition list` print; both are normalised to
// ARM REST shape, so everything downstream (simulator, ports) sees one shape.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { canonicalGuid } from "../config/settings";

export interface ArmRoleAssignment {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleAssignments";
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    principalType: string;
    description: string | null;
    condition: string | null;
    conditionVersion: string | null;
    createdOn: string | null;
    updatedOn: string | null;
    createdBy: string | null;
    updatedBy: string | null;
    delegatedManagedIdentityResourceId: string | null;
  };
}

/**
 * A PIM role assignment schedule instance in ARM REST shape (api-version 2020-10-01). `originRoleAssignmentId`
 * names the classic role assignment it backs; `endDateTime` null means permanent.
 */
export interface ArmScheduleInstance {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleAssignmentScheduleInstances";
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    principalType: string;
    roleAssignmentScheduleId: string | null;
    originRoleAssignmentId: string;
    status: string;
    startDateTime: string | null;
    endDateTime: string | null;
    linkedRoleEligibilityScheduleId: string | null;
    linkedRoleEligibilityScheduleInstanceId: string | null;
    /** Activated | Assigned */
    assignmentType: string;
    /** Direct | Group | Inherited */
    memberType: string;
    condition: string | null;
    conditionVersion: string | null;
    createdOn: string | null;
    [key: string]: unknown;
  };
}

export interface ArmPermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  condition?: string | null;
  conditionVersion?: string | null;
}

export interface ArmRoleDefinition {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleDefinitions";
  properties: {
    roleName: string;
    /** BuiltInRole | CustomRole */
    type: string;
    description: string | null;
    assignableScopes: string[];
    permissions: ArmPermission[];
    createdOn: string | null;
    updatedOn: string | null;
    createdBy: string | null;
    updatedBy: string | null;
  };
}

export interface SnapshotProvider {
  namespace: string;
  registrationState: string;
}

export interface SnapshotSubscription {
  id: string;
  displayName?: string;
  providers: SnapshotProvider[];
}

/**
 * A Graph directory object as Graph returns it (`@odata.type` `#microsoft.graph.user|servicePrincipal|group|…`).
 * Users carry userType/userPrincipalName/accountEnabled; service principals appId/appOwnerOrganizationId/
 * servicePrincipalType/alternativeNames/accountEnabled; groups may list `members` (object ids) so the
 * simulator can expand `assignedTo()` through group membership.
 */
export interface DirectoryObject {
  "@odata.type": string;
  id: string;
  displayName?: string | null;
  members?: string[];
  [key: string]: unknown;
}

export interface GraphPasswordCredential {
  keyId: string;
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  hint?: string | null;
  [key: string]: unknown;
}

export interface GraphKeyCredential {
  keyId: string;
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  type?: string;
  usage?: string;
  [key: string]: unknown;
}

export interface SnapshotApplication {
  id: string;
  appId: string;
  displayName: string | null;
  passwordCredentials: GraphPasswordCredential[];
  keyCredentials: GraphKeyCredential[];
  [key: string]: unknown;
}

/** Activity-log record in the REST `EventData` shape (extra fields kept as they are). */
export interface ActivityLogEntry {
  eventDataId: string;
  correlationId: string;
  operationName: { value: string; localizedValue?: string };
  status: { value: string; localizedValue?: string };
  eventTimestamp: string;
  caller?: string | null;
  resourceId?: string | null;
  subscriptionId: string;
  [key: string]: unknown;
}

export interface TenantSnapshot {
  tenantId: string;
  subscriptions: SnapshotSubscription[];
  roleDefinitions: ArmRoleDefinition[];
  roleAssignments: ArmRoleAssignment[];
  principals: DirectoryObject[];
  applications: SnapshotApplication[];
  activityLog: ActivityLogEntry[];
  /** PIM schedule instances behind some of the role assignments (optional in the file; absent = none). */
  roleAssignmentScheduleInstances?: ArmScheduleInstance[];
  /** Free-form provenance (generator, time taken). */
  generatedBy?: string;
}

export class SnapshotError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid tenant snapshot ${source}:\n- ${problems.join("\n- ")}`);
    this.name = "SnapshotError";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Schemas. Loose objects: unknown extra fields are kept, because real exports carry more than we model.

const nullableString = z.string().nullish();
const guid = z.string().refine((v) => canonicalGuid(v) !== null, { message: "expected a GUID" });

// The fields both shapes carry: under `properties` in ARM REST, at top level in az's flat listing.
const assignmentBody = {
  scope: z.string().min(1).optional(),
  roleDefinitionId: z.string().min(1),
  principalId: guid,
  principalType: z.string().optional(),
  description: nullableString,
  condition: nullableString,
  conditionVersion: nullableString,
  createdOn: nullableString,
  updatedOn: nullableString,
  createdBy: nullableString,
  updatedBy: nullableString,
  delegatedManagedIdentityResourceId: nullableString,
};

const armAssignmentSchema = z.looseObject({
  id: z.string().min(1),
  name: guid,
  type: z.string().optional(),
  properties: z.looseObject(assignmentBody),
});

const azAssignmentSchema = z.looseObject({
  id: z.string().min(1),
  name: guid,
  ...assignmentBody,
  principalName: nullableString,
  roleDefinitionName: nullableString,
});

const permissionSchema = z.looseObject({
  actions: z.array(z.string()).default([]),
  notActions: z.array(z.string()).default([]),
  dataActions: z.array(z.string()).default([]),
  notDataActions: z.array(z.string()).default([]),
  condition: nullableString,
  conditionVersion: nullableString,
});

const definitionBody = {
  roleName: z.string().min(1),
  description: nullableString,
  assignableScopes: z.array(z.string()).default([]),
  permissions: z.array(permissionSchema),
  createdOn: nullableString,
  updatedOn: nullableString,
  createdBy: nullableString,
  updatedBy: nullableString,
};

const armDefinitionSchema = z.looseObject({
  id: z.string().min(1),
  name: guid,
  type: z.string().optional(),
  properties: z.looseObject({ ...definitionBody, type: z.string().min(1) }),
});

const azDefinitionSchema = z.looseObject({
  id: z.string().min(1),
  name: guid,
  ...definitionBody,
  roleType: z.string().min(1),
});

const providerSchema = z.looseObject({ namespace: z.string().min(1), registrationState: z.string().min(1) });
const subscriptionSchema = z.looseObject({
  id: guid,
  displayName: z.string().optional(),
  providers: z.array(providerSchema).default([]),
});

const directoryObjectSchema = z.looseObject({
  "@odata.type": z.string().regex(/^#microsoft\.graph\.\w+$/, "expected '#microsoft.graph.<type>'"),
  id: guid,
  displayName: nullableString,
  members: z.array(guid).optional(),
});

const credentialSchema = z.looseObject({
  keyId: z.string().min(1),
  displayName: z.string().nullable().default(null),
  startDateTime: z.string().nullable().default(null),
  endDateTime: z.string().nullable().default(null),
});

const applicationSchema = z.looseObject({
  id: guid,
  appId: guid,
  displayName: z.string().nullable().default(null),
  passwordCredentials: z.array(credentialSchema).default([]),
  keyCredentials: z.array(credentialSchema).default([]),
});

const localizable = z.union([
  z.looseObject({ value: z.string(), localizedValue: z.string().optional() }),
  z.string().transform((value) => ({ value, localizedValue: value })),
]);

const activitySchema = z.looseObject({
  eventDataId: z.string().min(1),
  correlationId: z.string().min(1),
  operationName: localizable,
  status: localizable,
  eventTimestamp: z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: "expected an ISO time" }),
  caller: nullableString,
  resourceId: nullableString,
  subscriptionId: guid,
});

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: "expected an ISO time" });

const scheduleInstanceSchema = z.looseObject({
  id: z.string().regex(/\/providers\/Microsoft\.Authorization\/roleAssignmentScheduleInstances\/[^/]+$/i, {
    message: "expected {scope}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/{name}",
  }),
  name: z.string().min(1),
  type: z.string().optional(),
  properties: z.looseObject({
    scope: z.string().min(1),
    roleDefinitionId: z.string().min(1),
    principalId: guid,
    principalType: z.string().default("Unknown"),
    roleAssignmentScheduleId: nullableString,
    originRoleAssignmentId: z
      .string()
      .regex(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, {
        message: "expected the id of the classic role assignment it backs",
      }),
    status: z.string().default("Provisioned"),
    startDateTime: isoTime.nullish(),
    endDateTime: isoTime.nullish(),
    linkedRoleEligibilityScheduleId: nullableString,
    linkedRoleEligibilityScheduleInstanceId: nullableString,
    assignmentType: z.enum(["Activated", "Assigned"]),
    memberType: z.enum(["Direct", "Group", "Inherited"]).default("Direct"),
    condition: nullableString,
    conditionVersion: nullableString,
    createdOn: nullableString,
  }),
});

function normaliseScheduleInstance(raw: unknown, where: string): ArmScheduleInstance {
  const { id, name, properties: p } = schemaParser(scheduleInstanceSchema)(raw, where);
  return {
    id,
    name,
    type: "Microsoft.Authorization/roleAssignmentScheduleInstances",
    properties: {
      ...p,
      principalId: guidOf(p.principalId),
      roleAssignmentScheduleId: nullish(p.roleAssignmentScheduleId),
      startDateTime: nullish(p.startDateTime),
      endDateTime: nullish(p.endDateTime),
      linkedRoleEligibilityScheduleId: nullish(p.linkedRoleEligibilityScheduleId),
      linkedRoleEligibilityScheduleInstanceId: nullish(p.linkedRoleEligibilityScheduleInstanceId),
      condition: nullish(p.condition),
      conditionVersion: nullish(p.conditionVersion),
      createdOn: nullish(p.createdOn),
    },
  };
}

const topSchema = z.looseObject({
  tenantId: guid,
  subscriptions: z.array(z.unknown()).default([]),
  roleDefinitions: z.array(z.unknown()).default([]),
  roleAssignments: z.array(z.unknown()).default([]),
  principals: z.array(z.unknown()).default([]),
  applications: z.array(z.unknown()).default([]),
  activityLog: z.array(z.unknown()).default([]),
  roleAssignmentScheduleInstances: z.array(z.unknown()).default([]),
  generatedBy: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------------------

function describeIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
      prefix,
    );
    return `${path}: ${issue.message}`;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const ASSIGNMENT_SEGMENT = /\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i;

/** The scope an assignment id lives at (`/subscriptions/x/providers/…/roleAssignments/g` → `/subscriptions/x`). */
export function scopeOfAssignmentId(id: string): string {
  const scope = id.replace(ASSIGNMENT_SEGMENT, "");
  return scope === "" ? "/" : scope;
}

function nullish(v: string | null | undefined): string | null {
  return v ?? null;
}

function guidOf(v: string): string {
  return canonicalGuid(v) ?? v;
}

/**
 * Assignments and definitions come in ARM REST shape (fields under `properties`) or az's flat shape; `marker`
 * is a field only the flat shape has at top level. Picks the parser for the shape and returns the flat form.
 */
function flattenEitherShape<Flat>(
  raw: unknown,
  where: string,
  marker: string,
  parse: { arm: (raw: unknown, where: string) => Flat; az: (raw: unknown, where: string) => Flat },
): Flat {
  if (!isRecord(raw)) throw new SnapshotError(where, [`${where}: expected an object`]);
  const armShaped = isRecord(raw.properties);
  if (!armShaped && !(marker in raw))
    throw new SnapshotError(where, [
      `${where}: neither ARM REST shape (properties.${marker} …) nor az shape (${marker} … at top level)`,
    ]);
  return armShaped ? parse.arm(raw, where) : parse.az(raw, where);
}

/**
 * One role assignment in either shape → ARM REST shape. Throws SnapshotError naming `where` and the field.
 */
export function normaliseRoleAssignment(raw: unknown, where = "roleAssignment"): ArmRoleAssignment {
  const flat = flattenEitherShape(raw, where, "principalId", {
    arm: (raw, where) => {
      const { id, name, properties } = schemaParser(armAssignmentSchema)(raw, where);
      return { ...properties, id, name };
    },
    az: schemaParser(azAssignmentSchema),
  });
  return {
    id: flat.id,
    name: guidOf(flat.name),
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: flat.scope ?? scopeOfAssignmentId(flat.id),
      roleDefinitionId: flat.roleDefinitionId,
      principalId: guidOf(flat.principalId),
      principalType: flat.principalType ?? "Unknown",
      description: nullish(flat.description),
      condition: nullish(flat.condition),
      conditionVersion: nullish(flat.conditionVersion),
      createdOn: nullish(flat.createdOn),
      updatedOn: nullish(flat.updatedOn),
      createdBy: flat.createdBy ? guidOf(flat.createdBy) : null,
      updatedBy: flat.updatedBy ? guidOf(flat.updatedBy) : null,
      delegatedManagedIdentityResourceId: nullish(flat.delegatedManagedIdentityResourceId),
    },
  };
}

/** One role definition in either shape (ARM `{properties:{roleName,type…}}` or az `{roleName,roleType…}`). */
export function normaliseRoleDefinition(raw: unknown, where = "roleDefinition"): ArmRoleDefinition {
  const body = flattenEitherShape(raw, where, "roleName", {
    arm: (raw, where) => {
      const { id, name, properties } = schemaParser(armDefinitionSchema)(raw, where);
      const { type, ...rest } = properties;
      return { ...rest, roleType: type, id, name };
    },
    az: schemaParser(azDefinitionSchema),
  });
  return {
    id: body.id,
    name: guidOf(body.name),
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: body.roleName,
      type: body.roleType,
      description: nullish(body.description),
      assignableScopes: body.assignableScopes,
      permissions: body.permissions.map((p) => ({
        ...p,
        actions: p.actions,
        notActions: p.notActions,
        dataActions: p.dataActions,
        notDataActions: p.notDataActions,
      })),
      createdOn: nullish(body.createdOn),
      updatedOn: nullish(body.updatedOn),
      createdBy: nullish(body.createdBy),
      updatedBy: nullish(body.updatedBy),
    },
  };
}

function parseList<T>(items: unknown[], field: string, parse: (raw: unknown, where: string) => T): T[] {
  const problems: string[] = [];
  const out: T[] = [];
  items.forEach((raw, i) => {
    try {
      out.push(parse(raw, `${field}[${i}]`));
    } catch (err) {
      if (err instanceof SnapshotError) problems.push(...err.problems);
      else throw err;
    }
  });
  if (problems.length) throw new SnapshotError("", problems);
  return out;
}

function schemaParser<S extends z.ZodType>(schema: S) {
  return (raw: unknown, where: string): z.infer<S> => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new SnapshotError(where, describeIssues(where, parsed.error));
    return parsed.data;
  };
}

/** Validates and normalises an already-parsed snapshot object. `source` names it in errors. */
export function parseSnapshot(value: unknown, source = "(inline)"): TenantSnapshot {
  const top = topSchema.safeParse(value);
  if (!top.success) throw new SnapshotError(source, describeIssues("snapshot", top.error));
  const problems: string[] = [];
  const collect = <T>(fn: () => T[]): T[] => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      problems.push(...err.problems);
      return [];
    }
  };
  const t = top.data;
  const snapshot: TenantSnapshot = {
    tenantId: guidOf(t.tenantId),
    subscriptions: collect(() =>
      parseList(t.subscriptions, "subscriptions", schemaParser(subscriptionSchema)).map((s) => ({
        ...s,
        id: guidOf(s.id),
      })),
    ),
    roleDefinitions: collect(() => parseList(t.roleDefinitions, "roleDefinitions", normaliseRoleDefinition)),
    roleAssignments: collect(() => parseList(t.roleAssignments, "roleAssignments", normaliseRoleAssignment)),
    principals: collect(() =>
      parseList(t.principals, "principals", schemaParser(directoryObjectSchema)).map((p) => ({
        ...p,
        id: guidOf(p.id),
        ...(p.members ? { members: p.members.map(guidOf) } : {}),
      })),
    ),
    applications: collect(() =>
      parseList(t.applications, "applications", schemaParser(applicationSchema)).map((a) => ({
        ...a,
        id: guidOf(a.id),
        appId: guidOf(a.appId),
      })),
    ) as SnapshotApplication[],
    activityLog: collect(() =>
      parseList(t.activityLog, "activityLog", schemaParser(activitySchema)).map((r) => ({
        ...r,
        subscriptionId: guidOf(r.subscriptionId),
      })),
    ) as ActivityLogEntry[],
    roleAssignmentScheduleInstances: collect(() =>
      parseList(
        t.roleAssignmentScheduleInstances,
        "roleAssignmentScheduleInstances",
        normaliseScheduleInstance,
      ),
    ),
    ...(t.generatedBy ? { generatedBy: t.generatedBy } : {}),
  };
  if (problems.length) throw new SnapshotError(source, problems.slice(0, 50));
  return snapshot;
}

/**
 * Loads a snapshot from a file path or from JSON text (anything starting with `{` is taken as JSON), or
 * validates an object already in memory. Throws SnapshotError naming the file and each bad field.
 */
export function loadSnapshot(pathOrJson: string | object): TenantSnapshot {
  if (typeof pathOrJson === "object") return parseSnapshot(pathOrJson);
  const isJson = pathOrJson.trimStart().startsWith("{");
  const source = isJson ? "(inline JSON)" : pathOrJson;
  let text: string;
  if (isJson) text = pathOrJson;
  else {
    try {
      text = readFileSync(pathOrJson, "utf8");
    } catch (err) {
      throw new SnapshotError(source, [`cannot read the file: ${(err as Error).message}`]);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError(source, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseSnapshot(value, source);
}
