// Builds what the checks look at: live (Azure with the ambient credential) or offline (the tenant
// simulator over a snapshot, the simulated Event Grid, and the configured store if any).
import type { Settings } from "../config/settings";
import { parseSettings } from "../config/settings";
import { validateSettings } from "../config/validate";
import { createCredential, staticTokenCredential } from "../tenant/azure/credential";
import { cloudEndpoints } from "../tenant/clouds";
import { openTenant } from "../tenant/open";
import type { TenantSnapshot } from "../tenant/snapshot";
import type { Simulator } from "../simulator";
import { ArmEventGrid } from "./eventgrid";
import { deployedWiring, SimulatedEventGrid, type SimulatedTopic } from "./simulated-eventgrid";
import { tableStoreProbe } from "./store-probe";
import type { DoctorContext } from "./types";

const OFFLINE_ARM = "https://management.simulator.invalid";

export interface DoctorOptions {
  live: boolean;
  env: Record<string, string | undefined>;
  /** Offline snapshot (path or object); default samples/tenant.json. */
  snapshot?: string | TenantSnapshot;
  cwd?: string;
  /** Offline Event Grid state; default: the wiring infra/ deploys, for every watched subscription. */
  eventGridTopics?: SimulatedTopic[];
}

export interface OpenedDoctor {
  ctx: DoctorContext;
  simulator?: Simulator;
  eventGrid?: SimulatedEventGrid;
  close(): Promise<void>;
}

export async function openDoctor(opts: DoctorOptions): Promise<OpenedDoctor> {
  const report = validateSettings(opts.env, "function");
  // Connections need some settings even when a value is invalid: the valid ones as given (an invalid one
  // falls back to its default), so one bad MODE does not also report the store as unconfigured.
  const settings: Settings = report.settings ?? parseSettings(opts.env).settings;
  const functionAppId = (opts.env.FUNCTION_APP_ID ?? "").trim() || null;

  if (opts.live) {
    const credential = createCredential(settings);
    const opened = await openTenant({ live: true, settings });
    return {
      ctx: {
        settings: report.settings,
        settingsProblems: report.problems,
        live: true,
        tenant: opened.tenant,
        eventGrid: new ArmEventGrid({ credential, armEndpoint: cloudEndpoints(settings.cloud).armEndpoint }),
        store: tableStoreProbe(settings, credential),
        functionAppId,
      },
      close: () => opened.close(),
    };
  }

  const opened = await openTenant({
    settings,
    ...(opts.snapshot !== undefined ? { snapshot: opts.snapshot } : {}),
    cwd: opts.cwd ?? process.cwd(),
  });
  const eventGrid = new SimulatedEventGrid(
    opts.eventGridTopics ??
      settings.watchedSubscriptionIds.map((id) => deployedWiring(id, functionAppId ?? undefined)),
  );
  return {
    ctx: {
      settings: report.settings,
      settingsProblems: report.problems,
      live: false,
      tenant: opened.tenant,
      eventGrid: new ArmEventGrid({
        credential: staticTokenCredential(),
        armEndpoint: OFFLINE_ARM,
        httpClient: eventGrid,
      }),
      store: tableStoreProbe(settings),
      functionAppId,
    },
    ...(opened.simulator ? { simulator: opened.simulator } : {}),
    eventGrid,
    close: () => opened.close(),
  };
}
