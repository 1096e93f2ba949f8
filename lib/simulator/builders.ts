// Builders for the ARM REST objects a tenant snapshot holds, shared by the large-tenant generator, the sample
// tenant script and the test fixtures, so every synthetic tenant spells ids and empty fields the same way.
import type { ArmRoleAssignment, ArmRoleDefinition, ArmScheduleInstance } from "../tenant/snapshot";

/** Azure's built-in role definition GUIDs (the same in every tenant). */
export const BUILTIN_ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
} as const;

export const roleAssignmentId = (scope: string, name: string): string =>
  `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;

/** `/subscriptions/x` of any scope below it; "" for tenant-level scopes. */
export const subscriptionScopeOf = (scope: string): string =>
  /^\/subscriptions\/[^/]+/i.exec(scope)?.[0] ?? "";

export interface AssignmentSpec {
  scope: string;
  name: string;
  principalId: string;
  principalType: string;
  /** Role definition GUID; the id is formed under the scope's subscription, as ARM returns it. */
  role: string;
  createdOn: string;
  createdBy: string | null;
}

export function armRoleAssignment(a: AssignmentSpec): ArmRoleAssignment {
  return {
    id: roleAssignmentId(a.scope, a.name),
    name: a.name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      scope: a.scope,
      roleDefinitionId: `${subscriptionScopeOf(a.scope)}/providers/Microsoft.Authorization/roleDefinitions/${a.role}`,
      principalId: a.principalId,
      principalType: a.principalType,
      description: null,
      condition: null,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.createdOn,
      createdBy: a.createdBy,
      updatedBy: a.createdBy,
      delegatedManagedIdentityResourceId: null,
    },
  };
}

export interface DefinitionSpec {
  guid: string;
  roleName: string;
  actions: string[];
  notActions?: string[];
  /** Where the definition's id lives: "" (tenant level, as built-ins are listed) or `/subscriptions/x`. */
  scope?: string;
  /** BuiltInRole (default) or CustomRole. */
  type?: string;
  description?: string | null;
  assignableScopes?: string[];
  createdOn?: string | null;
  createdBy?: string | null;
}

export function armRoleDefinition(d: DefinitionSpec): ArmRoleDefinition {
  return {
    id: `${d.scope ?? ""}/providers/Microsoft.Authorization/roleDefinitions/${d.guid}`,
    name: d.guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: d.roleName,
      type: d.type ?? "BuiltInRole",
      description: d.description ?? null,
      assignableScopes: d.assignableScopes ?? ["/"],
      permissions: [
        { actions: d.actions, notActions: d.notActions ?? [], dataActions: [], notDataActions: [] },
      ],
      createdOn: d.createdOn ?? null,
      updatedOn: d.createdOn ?? null,
      createdBy: d.createdBy ?? null,
      updatedBy: d.createdBy ?? null,
    },
  };
}

export interface ScheduleInstanceSpec {
  /** The classic assignment the PIM instance backs (its scope, principal and role are copied). */
  assignment: ArmRoleAssignment;
  /** Activated (time-bound activation of an eligible role) or Assigned (active assignment made through PIM). */
  assignmentType: "Activated" | "Assigned";
  memberType?: "Direct" | "Group" | "Inherited";
  startDateTime: string;
  /** null = permanent. */
  endDateTime: string | null;
  /** Activated instances: the eligibility schedule that was activated. */
  eligibilityScheduleName?: string;
}

/**
 * A PIM role assignment schedule instance in ARM REST shape. Its name is derived from the assignment's, so
 * builders stay deterministic (ARM's names are opaque hashes).
 */
export function armScheduleInstance(s: ScheduleInstanceSpec): ArmScheduleInstance {
  const a = s.assignment;
  const scope = a.properties.scope;
  const name = `${a.name}-pim`;
  const at = (type: string, n: string) => `${scope}/providers/Microsoft.Authorization/${type}/${n}`;
  const eligibility = s.eligibilityScheduleName
    ? at("roleEligibilitySchedules", s.eligibilityScheduleName)
    : null;
  return {
    id: at("roleAssignmentScheduleInstances", name),
    name,
    type: "Microsoft.Authorization/roleAssignmentScheduleInstances",
    properties: {
      scope,
      roleDefinitionId: a.properties.roleDefinitionId,
      principalId: a.properties.principalId,
      principalType: a.properties.principalType,
      roleAssignmentScheduleId: at("roleAssignmentSchedules", a.name),
      originRoleAssignmentId: a.id,
      status: "Provisioned",
      startDateTime: s.startDateTime,
      endDateTime: s.endDateTime,
      linkedRoleEligibilityScheduleId: eligibility,
      linkedRoleEligibilityScheduleInstanceId: eligibility ? `${eligibility}-instance` : null,
      assignmentType: s.assignmentType,
      memberType: s.memberType ?? "Direct",
      condition: null,
      conditionVersion: null,
      createdOn: s.startDateTime,
    },
  };
}
