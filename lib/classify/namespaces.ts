// Provider namespaces: canonical casing and the security groups DESIGN.md names.
// Events spell namespaces however each provider published them (`microsoft.insights`,
// `MICROSOFT.AAD`), so everything here is looked up case-insensitively.
import type { NamespaceGroup } from "./types";

/** Namespaces whose unregister blinds detection, monitoring or policy (DESIGN.md "Classification"). */
export const DEFENSE_NAMESPACES: readonly string[] = [
  "Microsoft.Security",
  "Microsoft.SecurityInsights",
  "Microsoft.Insights",
  "Microsoft.OperationalInsights",
  "Microsoft.PolicyInsights",
  "Microsoft.GuestConfiguration",
  "Microsoft.EventGrid",
];

/** Namespaces that hold identities, secrets or directory services. */
export const IDENTITY_NAMESPACES: readonly string[] = [
  "Microsoft.AAD",
  "Microsoft.ADHybridHealthService",
  "Microsoft.ManagedIdentity",
  "Microsoft.KeyVault",
];

/**
 * Other commonly seen namespaces, only so they print in their published casing.
 * An unknown namespace is returned as received: never guessed.
 */
const OTHER_KNOWN_NAMESPACES: readonly string[] = [
  "Microsoft.AlertsManagement",
  "Microsoft.ApiManagement",
  "Microsoft.App",
  "Microsoft.AppConfiguration",
  "Microsoft.Authorization",
  "Microsoft.Automation",
  "Microsoft.AzureActiveDirectory",
  "Microsoft.AzureStackHCI",
  "Microsoft.Batch",
  "Microsoft.Cache",
  "Microsoft.Cdn",
  "Microsoft.CognitiveServices",
  "Microsoft.Compute",
  "Microsoft.ContainerInstance",
  "Microsoft.ContainerRegistry",
  "Microsoft.ContainerService",
  "Microsoft.CostManagement",
  "Microsoft.DataFactory",
  "Microsoft.Databricks",
  "Microsoft.DBforMySQL",
  "Microsoft.DBforPostgreSQL",
  "Microsoft.DesktopVirtualization",
  "Microsoft.Devices",
  "Microsoft.DocumentDB",
  "Microsoft.EventHub",
  "Microsoft.Features",
  "Microsoft.HybridCompute",
  "Microsoft.Kusto",
  "Microsoft.Logic",
  "Microsoft.MachineLearningServices",
  "Microsoft.Maintenance",
  "Microsoft.ManagedServices",
  "Microsoft.Management",
  "Microsoft.Network",
  "Microsoft.OperationsManagement",
  "Microsoft.RecoveryServices",
  "Microsoft.ResourceGraph",
  "Microsoft.ResourceHealth",
  "Microsoft.Resources",
  "Microsoft.Search",
  "Microsoft.ServiceBus",
  "Microsoft.SignalRService",
  "Microsoft.Sql",
  "Microsoft.Storage",
  "Microsoft.StreamAnalytics",
  "Microsoft.Synapse",
  "Microsoft.Web",
];

const GROUP_BY_NAMESPACE = new Map<string, NamespaceGroup>([
  ...DEFENSE_NAMESPACES.map((ns) => [ns.toLowerCase(), "defense"] as const),
  ...IDENTITY_NAMESPACES.map((ns) => [ns.toLowerCase(), "identity"] as const),
]);

const CANONICAL = new Map<string, string>(
  [...DEFENSE_NAMESPACES, ...IDENTITY_NAMESPACES, ...OTHER_KNOWN_NAMESPACES].map((ns) => [
    ns.toLowerCase(),
    ns,
  ]),
);

/** `microsoft.insights` -> `Microsoft.Insights`; unknown namespaces come back as received. */
export function canonicalNamespace(namespace: string): string {
  return CANONICAL.get(namespace.toLowerCase()) ?? namespace;
}

export function namespaceGroup(namespace: string): NamespaceGroup {
  return GROUP_BY_NAMESPACE.get(namespace.toLowerCase()) ?? "other";
}

/** What unregistering each security-relevant namespace switches off (for reasons). */
export const NAMESPACE_SERVICE: Readonly<Record<string, string>> = {
  "microsoft.security": "Microsoft Defender for Cloud (plans, assessments, security alerts)",
  "microsoft.securityinsights": "Microsoft Sentinel",
  "microsoft.insights": "Azure Monitor (diagnostic settings, activity-log alerts, action groups)",
  "microsoft.operationalinsights": "Log Analytics workspaces",
  "microsoft.policyinsights": "Azure Policy compliance and remediation",
  "microsoft.guestconfiguration": "Machine configuration (policy inside VMs)",
  "microsoft.eventgrid": "Event Grid (the event delivery this responder depends on)",
  "microsoft.aad": "Microsoft Entra Domain Services",
  "microsoft.adhybridhealthservice": "Entra Connect Health",
  "microsoft.managedidentity": "managed identities",
  "microsoft.keyvault": "Key Vault (secrets, keys, certificates)",
};
