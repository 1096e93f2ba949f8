// Sovereign clouds as data: one setting (AZURE_CLOUD) picks every endpoint and token scope together, so an
// ARM URL can never be paired with another cloud's token audience.
// Endpoints: learn.microsoft.com/graph/deployments and @azure/identity's AzureAuthorityHosts.
import type { CloudName } from "../config/settings";

export type { CloudName };

export interface CloudEndpoints {
  name: CloudName;
  /** Resource Manager base URL (no trailing slash). */
  armEndpoint: string;
  /** Microsoft Graph service root (no version, no trailing slash). */
  graphEndpoint: string;
  /** Entra ID authority host for token requests. */
  authorityHost: string;
  /** Token scope for ARM. */
  armScope: string;
  /** Token scope for Microsoft Graph. */
  graphScope: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  AzurePublicCloud: {
    name: "AzurePublicCloud",
    armEndpoint: "https://management.azure.com",
    graphEndpoint: "https://graph.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    armScope: "https://management.azure.com/.default",
    graphScope: "https://graph.microsoft.com/.default",
  },
  AzureUSGovernment: {
    name: "AzureUSGovernment",
    armEndpoint: "https://management.usgovcloudapi.net",
    graphEndpoint: "https://graph.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    armScope: "https://management.usgovcloudapi.net/.default",
    graphScope: "https://graph.microsoft.us/.default",
  },
  AzureChinaCloud: {
    name: "AzureChinaCloud",
    armEndpoint: "https://management.chinacloudapi.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    armScope: "https://management.chinacloudapi.cn/.default",
    graphScope: "https://microsoftgraph.chinacloudapi.cn/.default",
  },
};

/** The endpoints of a cloud by name; a clear error for an unknown name (settings validate it first). */
export function cloudEndpoints(name: CloudName | string = "AzurePublicCloud"): CloudEndpoints {
  const cloud = (CLOUDS as Record<string, CloudEndpoints | undefined>)[name];
  if (!cloud)
    throw new Error(`unknown Azure cloud "${name}": expected one of ${Object.keys(CLOUDS).join(", ")}`);
  return cloud;
}

/** `{endpoint}/.default`: the token scope for a custom endpoint (simulator, private cloud). */
export function scopeFor(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/.default`;
}
