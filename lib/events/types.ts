// The normalised activity event (DESIGN.md "ActivityEvent"). Every input shape becomes this.
// GUIDs are canonical: lower case, dashed. Missing values are null, never undefined-vs-empty guesswork.

export type EventSource = "eventgrid" | "cloudevents" | "activitylog" | "diagnostic" | "alert" | "deadletter";

export type OperationStatus = "succeeded" | "failed" | "canceled" | "started" | "accepted" | "other";

export type ActorType = "user" | "servicePrincipal" | "managedIdentity" | "unknown";

export interface Actor {
  /** Object id of the caller (claims objectidentifier / oid), canonical GUID, or null when absent. */
  objectId: string | null;
  type: ActorType;
  upn?: string;
  appId?: string;
  ipAddress?: string;
  /** xms_mirid: ARM id of the managed identity (or its host resource for system-assigned). */
  miResourceId?: string;
  /** Tenant of the caller's token (claims tenantid / tid). */
  tenantId?: string;
}

export interface Evidence {
  roleAssignmentId: string | null;
  roleDefinitionId: string | null;
  principalId: string | null;
  principalType: string | null;
  scope: string | null;
  /** Display name of the role that authorised the call, when given. */
  role?: string | null;
}

export interface ActivityEvent {
  source: EventSource;
  eventId: string;
  correlationId: string | null;
  /** ISO 8601 UTC (`toISOString()` form). */
  time: string;
  /** As received (original casing). */
  operationName: string;
  operationNameLower: string;
  status: OperationStatus;
  subscriptionId: string | null;
  tenantId: string | null;
  resourceId: string | null;
  actor: Actor;
  evidence: Evidence;
  /** Event Grid / CloudEvents type, when the record had one (e.g. Microsoft.Resources.ResourceActionSuccess). */
  eventType?: string;
  /** Where the record came from: `file:line` for files, `eventgrid` or similar for live delivery. */
  where: string;
  /** Observations about the record worth telling the user (e.g. "status said Succeeded but the event type says Failure"). */
  notes: string[];
  /**
   * Activity-log records of role-assignment operations: `properties.responseBody` as received (a JSON string
   * or an object), when present. For a delete it is the only record of what was deleted (the journal and
   * RA-PROTECTED-REMOVED restore from it). Optional: intake sets it when the record has one.
   */
  responseBody?: unknown;
}

/** A record that could not be turned into an ActivityEvent. Reported, never silently dropped. */
export interface Rejected {
  rejected: true;
  where: string;
  error: string;
}

export type IntakeItem = ActivityEvent | Rejected;

export function isRejected(item: IntakeItem): item is Rejected {
  return (item as Rejected).rejected === true;
}
