// Ports: what the responder needs from a tenant, independent of how it is reached.
// One implementation (lib/tenant/azure) over the Azure SDK clients; in tests and offline replay those
// same SDK clients talk to the tenant simulator (lib/simulator) instead of Azure.
// All GUIDs returned are canonical (lower case, dashed). ARM ids keep their casing; compare them
// case-insensitively.

export interface RoleAssignment {
  /** Full ARM id: {scope}/providers/Microsoft.Authorization/roleAssignments/{name} */
  id: string;
  /** The assignment GUID. */
  name: string;
  scope: string;
  /** Full role definition id as ARM returns it (subscription-scoped form). */
  roleDefinitionId: string;
  /** Trailing GUID of roleDefinitionId. */
  roleDefinitionGuid: string;
  principalId: string;
  /** User | Group | ServicePrincipal | ForeignGroup | Device (open string). */
  principalType: string;
  createdOn: string | null;
  updatedOn: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  condition: string | null;
  description: string | null;
}

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDefinition {
  /** Full ARM id as returned. */
  id: string;
  /** The definition GUID. */
  name: string;
  roleName: string;
  /** BuiltInRole | CustomRole (open string). */
  roleType: string;
  description: string | null;
  assignableScopes: string[];
  permissions: Permission[];
}

export type RegistrationState = "Registered" | "NotRegistered" | "Registering" | "Unregistering" | string;

export interface ProviderInfo {
  namespace: string;
  registrationState: RegistrationState;
}

export type PrincipalKind = "user" | "servicePrincipal" | "group" | "application" | "device" | "other";

export interface Principal {
  id: string;
  kind: PrincipalKind;
  /** `@odata.type` as Graph returned it. */
  odataType: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  /** Member | Guest (users). */
  userType?: string | null;
  /** Application | ManagedIdentity | Legacy | SocialIdp (service principals). */
  servicePrincipalType?: string | null;
  appId?: string | null;
  /** Tenant that owns the application behind a service principal. */
  appOwnerOrganizationId?: string | null;
  accountEnabled?: boolean | null;
  alternativeNames?: string[];
}

export interface DirectoryLookup {
  found: Map<string, Principal>;
  /** Requested ids Graph did not return: deleted, or never existed. Reported, never dropped. */
  missing: string[];
  /** Applications asked for by appId (with their credentials); null when not registered in this tenant. */
  applications: Map<string, ApplicationInfo | null>;
  /**
   * Asked with `transitiveMemberOf`: object id → ids of every group it belongs to, nested groups expanded.
   * An id whose lookup failed has no entry here and one in `incomplete`.
   */
  memberOf?: Map<string, string[]>;
  /**
   * Asked with `transitiveMembersOf`: group id → every member, nested groups expanded (nested groups listed
   * too), with the properties the review needs. A group whose lookup failed has no entry and one in `incomplete`.
   */
  groupMembers?: Map<string, Principal[]>;
  /** Membership lookups that could not be answered (404, 403, …): reported, never silently dropped. */
  incomplete?: IncompleteLookup[];
}

/** A membership lookup the directory could not answer, and why. */
export interface IncompleteLookup {
  id: string;
  relation: "transitiveMemberOf" | "transitiveMembers";
  /** HTTP status of the failed sub-request (0 when no HTTP answer, e.g. an untrusted nextLink). */
  status: number;
  reason: string;
}

/**
 * Whose group memberships to read. Graph has transitiveMemberOf only per collection (users, servicePrincipals,
 * groups, devices; not on /directoryObjects), so the kind picks the collection; a bare id is taken as a user.
 */
export type MemberOfSubject = string | { id: string; kind: "user" | "servicePrincipal" | "group" | "device" };

export interface ResolveOptions {
  applicationAppIds?: string[];
  /** Object ids whose transitive group memberships to return (`memberOf`). */
  transitiveMemberOf?: MemberOfSubject[];
  /** Group ids whose transitive members to return (`groupMembers`). */
  transitiveMembersOf?: string[];
}

export interface Credential {
  keyId: string;
  kind: "password" | "certificate";
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
}

export interface ApplicationInfo {
  id: string;
  appId: string;
  displayName: string | null;
  credentials: Credential[];
}

export interface ActivityRecord {
  eventDataId: string | null;
  correlationId: string | null;
  operationName: string;
  /** Started | Accepted | Succeeded | Failed | Canceled … as ARM returns it. */
  status: string;
  eventTimestamp: string;
  caller: string | null;
  resourceId: string | null;
}

export interface NewRoleAssignment {
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  description?: string | null;
  condition?: string | null;
  conditionVersion?: string | null;
}

/** Activated = time-bound activation of an eligible role; Assigned = an active assignment made through PIM. */
export type PimAssignmentType = "Activated" | "Assigned" | string;
/** Direct = assigned to the principal itself; Group = through a group; Inherited = from a scope above. */
export type PimMemberType = "Direct" | "Group" | "Inherited" | string;

/**
 * A Privileged Identity Management role assignment schedule instance (ARM
 * `Microsoft.Authorization/roleAssignmentScheduleInstances`, api-version 2020-10-01): the PIM record behind a
 * classic role assignment. Its `originRoleAssignmentId` is the classic assignment it backs.
 */
export interface RoleAssignmentScheduleInstance {
  /** Full ARM id of the instance. */
  id: string;
  name: string;
  scope: string;
  /** Full id of the classic role assignment this instance backs (ARM: originRoleAssignmentId); "" when absent. */
  roleAssignmentId: string;
  /** Full role definition id as ARM returns it. */
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  assignmentType: PimAssignmentType;
  memberType: PimMemberType;
  /** Provisioned | Accepted | … (open string). */
  status: string;
  startDateTime: string | null;
  /** null = no end: a permanent PIM assignment. */
  endDateTime: string | null;
  /** The eligibility the principal activated (Activated instances only). */
  linkedRoleEligibilityScheduleId: string | null;
}

export interface RoleAssignmentsPort {
  /** Every assignment at, above and below the subscription (all pages). */
  listForSubscription(subscriptionId: string): Promise<RoleAssignment[]>;
  /** `principalId eq '…'` at the subscription: at, above and below. */
  listForPrincipal(subscriptionId: string, principalId: string): Promise<RoleAssignment[]>;
  /** `atScope()`: at the scope and inherited from above, not below. */
  listAtScope(scope: string): Promise<RoleAssignment[]>;
  /** `assignedTo('…')`: a user's or service principal's assignments including through groups. */
  listAssignedTo(subscriptionId: string, principalId: string): Promise<RoleAssignment[]>;
  /** null when it does not exist. */
  get(roleAssignmentId: string): Promise<RoleAssignment | null>;
  /** `deleted: false` when it was already gone (ARM 204): that is success too. */
  delete(roleAssignmentId: string): Promise<{ deleted: boolean }>;
  create(scope: string, name: string, body: NewRoleAssignment): Promise<RoleAssignment>;
  /**
   * PIM schedule instances at the subscription and inherited from above (`$filter=atScope()`, all pages).
   * Needs Microsoft.Authorization/roleAssignmentScheduleInstances/read (PermissionError without it).
   */
  listScheduleInstances(subscriptionId: string): Promise<RoleAssignmentScheduleInstance[]>;
}

export interface RoleDefinitionsPort {
  /** By full id or bare GUID (resolved at the given scope, default the subscription's). null when unknown. */
  get(roleDefinitionId: string, scope?: string): Promise<RoleDefinition | null>;
  /** All definitions visible at a scope (built-in and custom). Cached per process with a bounded TTL. */
  list(scope: string): Promise<RoleDefinition[]>;
}

export interface ProvidersPort {
  get(subscriptionId: string, namespace: string): Promise<ProviderInfo>;
  register(subscriptionId: string, namespace: string): Promise<ProviderInfo>;
  list(subscriptionId: string): Promise<ProviderInfo[]>;
}

export interface ActivityLogPort {
  /** Records of the operation with this correlation id, searched in a window around `around`. */
  findOperation(subscriptionId: string, correlationId: string, around: Date): Promise<ActivityRecord[]>;
  /** Every administrative record in [from, to] (for snapshots). */
  list(subscriptionId: string, from: Date, to: Date): Promise<ActivityRecord[]>;
}

export interface DirectoryPort {
  /**
   * Resolves many object ids with directoryObjects/getByIds (chunks of at most 1,000), and optionally the
   * applications behind some appIds, in as few HTTP calls as possible: the sub-requests travel together in
   * Graph JSON batches ($batch, at most 20 sub-requests each), so one review costs one Graph round trip.
   * Membership lookups (`transitiveMemberOf`, `transitiveMembersOf`) ride in the same batches; a result longer
   * than one Graph page costs one more sequential call per extra page, for that item only.
   */
  resolve(ids: string[], opts?: ResolveOptions): Promise<DirectoryLookup>;
  /** The application registration behind an appId (with its credentials), null when not in this tenant. */
  applicationByAppId(appId: string): Promise<ApplicationInfo | null>;
  /** Sets accountEnabled=false on a service principal. */
  disableServicePrincipal(servicePrincipalId: string): Promise<void>;
}

export interface Tenant {
  tenantId: string;
  roleAssignments: RoleAssignmentsPort;
  roleDefinitions: RoleDefinitionsPort;
  providers: ProvidersPort;
  activityLog: ActivityLogPort;
  directory: DirectoryPort;
}
