// The CloudEvent published for each reviewed incident: what happened, who did it, what the responder
// found and decided, and where to look in Azure. Pure function, so its shape is tested without a network.
import { createHash } from "node:crypto";
import type { CloudName } from "../config/settings";
import type { Finding } from "../review/types";
import { fitFindings } from "../store/codec";
import type { IncidentRecord } from "../store/types";
import { redact } from "./redact";

export const INCIDENT_EVENT_TYPE = "UnregisterResponder.IncidentReviewed";
export const INCIDENT_EVENT_DATASCHEMA_VERSION = "1";
/** Event Grid accepts events up to 1 MB; keep well below, dropping least severe findings first. */
const MAX_FINDINGS_CHARS = 700_000;

interface CloudEndpoints {
  portal: string;
  arm: string;
}

const CLOUDS: Record<CloudName, CloudEndpoints> = {
  AzurePublicCloud: { portal: "https://portal.azure.com", arm: "https://management.azure.com" },
  AzureUSGovernment: { portal: "https://portal.azure.us", arm: "https://management.usgovcloudapi.net" },
  AzureChinaCloud: { portal: "https://portal.azure.cn", arm: "https://management.chinacloudapi.cn" },
};

export interface IncidentEventData {
  schemaVersion: string;
  incidentId: string;
  operationKey: string;
  status: IncidentRecord["status"];
  subscriptionId: string;
  tenantId: string | null;
  eventId: string;
  eventTime: string;
  correlationId: string | null;
  operationName: string;
  operationStatus: string;
  resourceId: string | null;
  classification: IncidentRecord["classification"];
  actor: IncidentRecord["event"]["actor"];
  findings: PublishedFinding[];
  findingsOmitted: number;
  counts: {
    findings: number;
    bySeverity: Record<string, number>;
    byDecision: Record<string, number>;
  };
  links: {
    /** The subscription's activity log in the portal (filter by the correlation id). */
    activityLogPortal: string;
    /** The activity-log REST query for exactly this operation (correlation id, +-1 h around the event). */
    activityLogApi: string | null;
    /** The same as an Azure CLI command. */
    azCli: string | null;
  };
}

export type PublishedFinding = Pick<
  Finding,
  | "rule"
  | "severity"
  | "reason"
  | "action"
  | "decision"
  | "decisionReason"
  | "error"
  | "assignmentId"
  | "principalId"
  | "roleName"
  | "scope"
  | "namespace"
>;

export interface IncidentCloudEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  datacontenttype: "application/json";
  data: IncidentEventData;
}

const count = (values: string[]): Record<string, number> =>
  values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});

function publishedFinding(f: Finding): PublishedFinding {
  const { restore: _restore, ...rest } = f;
  return rest;
}

function links(incident: IncidentRecord, cloud: CloudName): IncidentEventData["links"] {
  const { portal, arm } = CLOUDS[cloud];
  const sub = incident.subscriptionId;
  const tenant = incident.event.tenantId ? `@${incident.event.tenantId}` : "";
  const correlationId = incident.event.correlationId;
  const at = new Date(incident.time);
  if (!correlationId || Number.isNaN(at.getTime()))
    return {
      activityLogPortal: `${portal}/#${tenant}/resource/subscriptions/${sub}/eventlogs`,
      activityLogApi: null,
      azCli: null,
    };
  const from = new Date(at.getTime() - 3_600_000).toISOString();
  const to = new Date(at.getTime() + 3_600_000).toISOString();
  const filter = `eventTimestamp ge '${from}' and eventTimestamp le '${to}' and correlationId eq '${correlationId}'`;
  return {
    activityLogPortal: `${portal}/#${tenant}/resource/subscriptions/${sub}/eventlogs`,
    activityLogApi: `${arm}/subscriptions/${sub}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(filter)}`,
    azCli: `az monitor activity-log list --subscription ${sub} --correlation-id ${correlationId} --start-time ${from} --end-time ${to}`,
  };
}

/** Same incident state, same id: consumers can drop a redelivered duplicate. */
function eventId(incident: IncidentRecord): string {
  const hex = createHash("sha256")
    .update(`${incident.id}|${incident.updatedAt}|${incident.status}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function incidentCloudEvent(
  incident: IncidentRecord,
  cloud: CloudName = "AzurePublicCloud",
): IncidentCloudEvent {
  const all = incident.findings.map(publishedFinding);
  const { kept, omitted } = fitFindings(all as Finding[], MAX_FINDINGS_CHARS);
  const e = incident.event;
  const data: IncidentEventData = {
    schemaVersion: INCIDENT_EVENT_DATASCHEMA_VERSION,
    incidentId: incident.id,
    operationKey: incident.operationKey,
    status: incident.status,
    subscriptionId: incident.subscriptionId,
    tenantId: e.tenantId,
    eventId: incident.eventId,
    eventTime: incident.time,
    correlationId: e.correlationId,
    operationName: e.operationName,
    operationStatus: e.status,
    resourceId: e.resourceId,
    classification: incident.classification,
    actor: e.actor,
    findings: kept,
    findingsOmitted: omitted + (incident.findingsOmitted ?? 0),
    counts: {
      findings: all.length + (incident.findingsOmitted ?? 0),
      bySeverity: count(all.map((f) => f.severity)),
      byDecision: count(all.map((f) => f.decision)),
    },
    links: links(incident, cloud),
  };
  const time = new Date(incident.updatedAt);
  return {
    id: eventId(incident),
    type: INCIDENT_EVENT_TYPE,
    source: `/unregister-responder/${incident.subscriptionId}`,
    subject: e.resourceId ?? `/subscriptions/${incident.subscriptionId}`,
    time: Number.isNaN(time.getTime()) ? new Date() : time,
    datacontenttype: "application/json",
    // Belt and braces: nothing secret should be in an incident, and nothing secret leaves the process.
    data: redact(data) as IncidentEventData,
  };
}
