// SDK models -> port types. The SDKs give Dates and optional fields; the ports promise ISO strings, nulls
// and canonical GUIDs, so every consumer compares like with like.
import type {
  RoleAssignment as SdkRoleAssignment,
  RoleAssignmentScheduleInstance as SdkScheduleInstance,
  RoleDefinition as SdkRoleDefinition,
} from "@azure/arm-authorization";
import type { EventData } from "@azure/arm-monitor";
import type { Provider } from "@azure/arm-resources";
import { canonicalGuid } from "../../config/settings";
import type {
  ActivityRecord,
  ApplicationInfo,
  Credential,
  Permission,
  Principal,
  PrincipalKind,
  ProviderInfo,
  RoleAssignment,
  RoleAssignmentScheduleInstance,
  RoleDefinition,
} from "../ports";

/** Canonical GUID when the value is one, else the trimmed value as given (never silently emptied). */
export function guidOrSelf(value: string | null | undefined): string {
  if (value == null) return "";
  return canonicalGuid(value) ?? value.trim();
}

function optionalGuid(value: string | null | undefined): string | null {
  return value == null || value === "" ? null : guidOrSelf(value);
}

function iso(value: Date | string | null | undefined): string | null {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return value;
}

/** Trailing segment of an ARM id (`…/roleDefinitions/{guid}` -> guid). */
export function lastSegment(id: string): string {
  const parts = id.split("/").filter(Boolean);
  return parts[parts.length - 1] ?? "";
}

/** The scope part of `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`. */
export function scopeOfAssignmentId(id: string): string {
  const at = id.toLowerCase().lastIndexOf("/providers/microsoft.authorization/roleassignments/");
  return at < 0 ? "" : id.slice(0, at) || "/";
}

export function toRoleAssignment(ra: SdkRoleAssignment): RoleAssignment {
  const id = ra.id ?? "";
  const roleDefinitionId = ra.roleDefinitionId ?? "";
  return {
    id,
    name: guidOrSelf(ra.name ?? lastSegment(id)),
    scope: ra.scope ?? scopeOfAssignmentId(id),
    roleDefinitionId,
    roleDefinitionGuid: guidOrSelf(lastSegment(roleDefinitionId)),
    principalId: guidOrSelf(ra.principalId),
    principalType: ra.principalType ?? "Unknown",
    createdOn: iso(ra.createdOn),
    updatedOn: iso(ra.updatedOn),
    createdBy: optionalGuid(ra.createdBy),
    updatedBy: optionalGuid(ra.updatedBy),
    condition: ra.condition ?? null,
    description: ra.description ?? null,
  };
}

export function toScheduleInstance(si: SdkScheduleInstance): RoleAssignmentScheduleInstance {
  const id = si.id ?? "";
  return {
    id,
    name: si.name ?? lastSegment(id),
    scope: si.scope ?? "",
    roleAssignmentId: si.originRoleAssignmentId ?? "",
    roleDefinitionId: si.roleDefinitionId ?? "",
    principalId: guidOrSelf(si.principalId),
    principalType: si.principalType ?? "Unknown",
    assignmentType: si.assignmentType ?? "Unknown",
    memberType: si.memberType ?? "Unknown",
    status: si.status ?? "Unknown",
    startDateTime: iso(si.startDateTime),
    endDateTime: iso(si.endDateTime),
    linkedRoleEligibilityScheduleId: si.linkedRoleEligibilityScheduleId ?? null,
  };
}

export function toRoleDefinition(rd: SdkRoleDefinition): RoleDefinition {
  const permissions: Permission[] = (rd.permissions ?? []).map((p) => ({
    actions: p.actions ?? [],
    notActions: p.notActions ?? [],
    dataActions: p.dataActions ?? [],
    notDataActions: p.notDataActions ?? [],
  }));
  return {
    id: rd.id ?? "",
    name: guidOrSelf(rd.name ?? lastSegment(rd.id ?? "")),
    roleName: (rd.roleName ?? "").trim(), // real catalogues carry trailing spaces
    roleType: rd.roleType ?? "",
    description: rd.description ?? null,
    assignableScopes: rd.assignableScopes ?? [],
    permissions,
  };
}

export function toProviderInfo(p: Provider, fallbackNamespace: string): ProviderInfo {
  return { namespace: p.namespace ?? fallbackNamespace, registrationState: p.registrationState ?? "Unknown" };
}

export function toActivityRecord(e: EventData): ActivityRecord {
  return {
    eventDataId: e.eventDataId ?? null,
    correlationId: optionalGuid(e.correlationId),
    operationName: e.operationName?.value ?? e.operationName?.localizedValue ?? "",
    status: e.status?.value ?? e.status?.localizedValue ?? "",
    eventTimestamp: iso(e.eventTimestamp) ?? "",
    caller: e.caller ?? null,
    resourceId: e.resourceId ?? null,
  };
}

/** Graph `@odata.type` -> kind, as a table (unknown types are "other", never dropped). */
const KIND_BY_ODATA_TYPE: Readonly<Record<string, PrincipalKind>> = {
  "#microsoft.graph.user": "user",
  "#microsoft.graph.serviceprincipal": "servicePrincipal",
  "#microsoft.graph.group": "group",
  "#microsoft.graph.application": "application",
  "#microsoft.graph.device": "device",
};

type GraphObject = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function toPrincipal(o: GraphObject): Principal {
  const odataType = str(o["@odata.type"]) ?? "";
  const principal: Principal = {
    id: guidOrSelf(str(o.id)),
    kind: KIND_BY_ODATA_TYPE[odataType.toLowerCase()] ?? "other",
    odataType,
    displayName: str(o.displayName),
  };
  // Only the fields Graph returned: absent is not the same as null (e.g. userType not selected).
  const optional: Array<[keyof Principal, unknown]> = [
    ["userPrincipalName", o.userPrincipalName],
    ["userType", o.userType],
    ["servicePrincipalType", o.servicePrincipalType],
    ["appId", typeof o.appId === "string" ? guidOrSelf(o.appId) : o.appId],
    [
      "appOwnerOrganizationId",
      typeof o.appOwnerOrganizationId === "string"
        ? guidOrSelf(o.appOwnerOrganizationId)
        : o.appOwnerOrganizationId,
    ],
    ["accountEnabled", o.accountEnabled],
  ];
  for (const [key, value] of optional)
    if (value !== undefined) (principal as unknown as Record<string, unknown>)[key] = value;
  if (Array.isArray(o.alternativeNames))
    principal.alternativeNames = o.alternativeNames.filter((n): n is string => typeof n === "string");
  return principal;
}

function toCredentials(list: unknown, kind: Credential["kind"]): Credential[] {
  if (!Array.isArray(list)) return [];
  return list.map((c: GraphObject) => ({
    keyId: str(c.keyId) ?? "",
    kind,
    displayName: str(c.displayName),
    startDateTime: str(c.startDateTime),
    endDateTime: str(c.endDateTime),
  }));
}

export function toApplication(o: GraphObject): ApplicationInfo {
  return {
    id: guidOrSelf(str(o.id)),
    appId: guidOrSelf(str(o.appId)),
    displayName: str(o.displayName),
    credentials: [
      ...toCredentials(o.passwordCredentials, "password"),
      ...toCredentials(o.keyCredentials, "certificate"),
    ],
  };
}
