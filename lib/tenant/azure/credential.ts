// Credentials. Production: a managed identity in Azure (AZURE_CLIENT_ID names the user-assigned one),
// DefaultAzureCredential elsewhere (az login, environment). Offline: a static token the simulator accepts.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import type { Settings } from "../../config/settings";
import { cloudEndpoints } from "../clouds";

/** Running inside Azure Functions / App Service (the host sets these). */
function inAzureHost(env: Record<string, string | undefined>): boolean {
  return Boolean(env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT || env.WEBSITE_INSTANCE_ID);
}

export function createCredential(
  settings: Pick<Settings, "azureClientId" | "cloud">,
  env: Record<string, string | undefined> = process.env,
): TokenCredential {
  const authorityHost = cloudEndpoints(settings.cloud).authorityHost;
  if (settings.azureClientId && inAzureHost(env))
    return new ManagedIdentityCredential({ clientId: settings.azureClientId });
  return new DefaultAzureCredential({
    authorityHost,
    ...(settings.azureClientId ? { managedIdentityClientId: settings.azureClientId } : {}),
  });
}

/** A fixed bearer token: for the simulator, which checks that one is present, not what it says. */
export function staticTokenCredential(token = "offline-simulator-token"): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}
