// The doctor's checks, as a registry. Order is the order of the report.
import { FUNCTION_NAME } from "../../functions/names";
import { analyzeRole, grants } from "../review/privilege";
import { PermissionError } from "../tenant/errors";
import type { RoleDefinition } from "../tenant/ports";
import type { EventSubscription } from "./eventgrid";
import type { Check, CheckResult, DoctorContext } from "./types";
import {
  EXPECTED_EVENT_TYPES,
  EXPECTED_OPERATION_SUFFIXES,
  REQUIRED_ACTIONS,
  REQUIRED_EVENT_TYPES,
} from "./wiring";

const message = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
const skip = (why: string): CheckResult[] => [{ status: "skip", details: [why] }];

/** Scope applies to the whole subscription: the subscription itself, a management group, or the root. */
function coversSubscription(scope: string, subscriptionId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  return s === "" || s === `/subscriptions/${subscriptionId}` || !s.startsWith("/subscriptions/");
}

/** One subscription's system topic and the event subscription to the function, the best of them decides. */
async function eventGridFor(
  ctx: DoctorContext,
  eventGrid: NonNullable<DoctorContext["eventGrid"]>,
  subscriptionId: string,
): Promise<CheckResult> {
  const topics = (await eventGrid.listSystemTopics(subscriptionId)).filter(
    (t) => t.topicType.toLowerCase() === "microsoft.resources.subscriptions",
  );
  const topic = topics[0];
  if (!topic)
    return {
      status: "fail",
      subject: subscriptionId,
      details: ["no Microsoft.Resources.Subscriptions system topic"],
    };
  const subs = (await eventGrid.listEventSubscriptions(topic.id)).filter((e) => pointsAtFunction(ctx, e));
  if (subs.length === 0)
    return {
      status: "fail",
      subject: subscriptionId,
      details: [`system topic ${topic.name} has no event subscription to ${FUNCTION_NAME}`],
    };
  // The best of them decides (several are allowed; the operation key dedups their deliveries).
  const judged = subs.map((e) => judgeEventSubscription(e));
  const rank = { ok: 0, warn: 1, skip: 2, fail: 3 } as const;
  judged.sort((a, b) => rank[a.status] - rank[b.status]);
  const best = judged[0]!;
  // Offline there is no Event Grid to ask: say the state checked is the simulated deployment.
  if (!ctx.live) best.details.push("offline: checked against the simulated wiring of infra/, not Azure");
  return { subject: subscriptionId, ...best };
}

/**
 * Runs a per-subscription check on each watched subscription; a subscription whose state cannot be read
 * fails with the reason, and the others are still checked.
 */
async function eachSubscription(
  subscriptionIds: string[],
  what: string,
  check: (subscriptionId: string) => Promise<CheckResult>,
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const sub of subscriptionIds) {
    try {
      out.push(await check(sub));
    } catch (err) {
      out.push({ status: "fail", subject: sub, details: [`could not read ${what}: ${message(err)}`] });
    }
  }
  return out;
}

async function permissionsFor(
  ctx: DoctorContext,
  subscriptionId: string,
  principalId: string,
): Promise<CheckResult> {
  const tenant = ctx.tenant!;
  const assignments = (await tenant.roleAssignments.listForPrincipal(subscriptionId, principalId)).filter(
    (a) => coversSubscription(a.scope, subscriptionId),
  );
  if (assignments.length === 0)
    return {
      status: "fail",
      subject: subscriptionId,
      details: [`the identity ${principalId} has no role assignment at or above the subscription`],
    };
  const definitions: RoleDefinition[] = [];
  for (const a of assignments) {
    const def = await tenant.roleDefinitions.get(a.roleDefinitionId, `/subscriptions/${subscriptionId}`);
    if (def) definitions.push(def);
  }
  const mode = ctx.settings?.mode ?? "flag";
  const details: string[] = [
    `roles: ${definitions.map((d) => d.roleName).join(", ") || "(definitions not readable)"}`,
  ];
  let status: CheckResult["status"] = "ok";
  for (const need of REQUIRED_ACTIONS) {
    // Each definition is judged on its own (a notAction in one role does not cancel another role's grant).
    if (definitions.some((d) => grants(d.permissions, need.action).granted)) continue;
    const blocking = need.neededIn === "all" || mode === "revert";
    if (blocking) status = "fail";
    else if (status === "ok") status = "warn";
    details.push(
      `missing ${need.action} (${need.why})${blocking ? "" : `; needed in revert mode, current mode ${mode}`}`,
    );
  }
  for (const d of definitions) {
    const analysis = analyzeRole(d);
    if (analysis.writeAny) {
      if (status === "ok") status = "warn";
      details.push(
        `over-privileged: "${d.roleName}" grants broad write (${analysis.tier}); the custom role is enough`,
      );
    }
  }
  return { status, subject: subscriptionId, details };
}

function filterCovers(sub: EventSubscription, suffix: string): boolean {
  const op = suffix.toLowerCase();
  const filters = sub.advancedFilters.filter((f) => f.key.toLowerCase() === "data.operationname");
  // Filters are ANDed: every one on operationName must let the operation through.
  return filters.every((f) => {
    const values = (f.values ?? []).map((v) => v.toLowerCase());
    switch (f.operatorType) {
      case "StringEndsWith":
        return values.some((v) => op.endsWith(v) || v.endsWith(op));
      case "StringContains":
        return values.some((v) => op.includes(v) || v.includes(op));
      case "StringIn":
        // Only whole operation names: covers the suffix only for one namespace, never all of them.
        return op !== "/unregister/action" && values.some((v) => v.endsWith(op));
      default:
        return false;
    }
  });
}

function judgeEventSubscription(sub: EventSubscription): {
  status: CheckResult["status"];
  details: string[];
} {
  const details: string[] = [];
  let status: CheckResult["status"] = "ok";
  const fail = (d: string) => {
    status = "fail";
    details.push(d);
  };
  const warn = (d: string) => {
    if (status === "ok") status = "warn";
    details.push(d);
  };
  if (sub.provisioningState && sub.provisioningState !== "Succeeded")
    fail(`provisioning state is ${sub.provisioningState}`);
  for (const suffix of EXPECTED_OPERATION_SUFFIXES)
    if (!filterCovers(sub, suffix)) fail(`its data.operationName filter drops "*${suffix}" operations`);
  const other = sub.advancedFilters.filter((f) => f.key.toLowerCase() !== "data.operationname");
  if (other.length) warn(`extra advanced filters (${other.map((f) => f.key).join(", ")}) may drop events`);
  if (sub.includedEventTypes) {
    const have = new Set(sub.includedEventTypes.map((t) => t.toLowerCase()));
    const missingRequired = REQUIRED_EVENT_TYPES.filter((t) => !have.has(t.toLowerCase()));
    if (missingRequired.length) fail(`event types missing: ${missingRequired.join(", ")}`);
    const missingOptional = EXPECTED_EVENT_TYPES.filter(
      (t) => !REQUIRED_EVENT_TYPES.includes(t) && !have.has(t.toLowerCase()),
    );
    if (missingOptional.length)
      warn(
        `failed and canceled attempts are not delivered (missing ${missingOptional.length} Failure/Cancel types)`,
      );
  }
  if (!sub.deadLetter)
    warn("no dead-letter destination: events that exhaust retries are lost instead of replayable");
  if (status === "ok")
    details.push(`event subscription "${sub.name}" delivers the three operations to ${FUNCTION_NAME}`);
  return { status, details };
}

function pointsAtFunction(ctx: DoctorContext, sub: EventSubscription): boolean {
  if (sub.endpointType !== "AzureFunction" || !sub.destinationResourceId) return false;
  const target = sub.destinationResourceId.toLowerCase();
  if (!target.endsWith(`/functions/${FUNCTION_NAME.toLowerCase()}`)) return false;
  return !ctx.functionAppId || target.startsWith(`${ctx.functionAppId.toLowerCase()}/functions/`);
}

export const CHECKS: readonly Check[] = [
  {
    id: "settings",
    title: "App settings are valid for the Function",
    fix: "Set the named app settings (infra/README.md, Settings); `azd env set` or the Function App's configuration.",
    async run(ctx) {
      if (ctx.settingsProblems.length === 0) return [{ status: "ok", details: ["every setting is valid"] }];
      return [{ status: "fail", details: ctx.settingsProblems }];
    },
  },
  {
    id: "arm-permissions",
    title: "The identity can do what the responder needs on each watched subscription",
    fix: 'Assign the "Unregister Responder" custom role (infra/main.bicep) to the identity on the subscription; never Owner or User Access Administrator.',
    async run(ctx) {
      const s = ctx.settings;
      if (!s?.responderPrincipalId)
        return skip("RESPONDER_PRINCIPAL_ID is not set: cannot tell whose permissions to check");
      if (!ctx.tenant) return skip("no tenant connection");
      if (s.watchedSubscriptionIds.length === 0)
        return skip("WATCHED_SUBSCRIPTION_IDS is empty: no subscription to check");
      const principalId = s.responderPrincipalId;
      return eachSubscription(s.watchedSubscriptionIds, "role assignments", (sub) =>
        permissionsFor(ctx, sub, principalId),
      );
    },
  },
  {
    id: "graph-permissions",
    title: "The identity can read the directory through Microsoft Graph",
    fix: "Grant the Graph application permissions Directory.Read.All and Application.Read.All (grantGraphPermissions=true, or the az CLI commands in infra/README.md), then restart the app.",
    async run(ctx) {
      if (!ctx.tenant) return skip("no tenant connection");
      const s = ctx.settings;
      const out: CheckResult[] = [];
      const probeId = s?.responderPrincipalId ?? "00000000-0000-0000-0000-000000000000";
      try {
        await ctx.tenant.directory.resolve([probeId]);
        out.push({
          status: "ok",
          subject: "Directory.Read.All",
          details: ["directoryObjects/getByIds answered"],
        });
      } catch (err) {
        out.push({
          status: "fail",
          subject: "Directory.Read.All",
          details: [
            `directoryObjects/getByIds failed${err instanceof PermissionError ? " (permission denied)" : ""}: ${message(err)}`,
          ],
        });
      }
      try {
        await ctx.tenant.directory.applicationByAppId(
          s?.azureClientId ?? "00000000-0000-0000-0000-000000000000",
        );
        out.push({ status: "ok", subject: "Application.Read.All", details: ["applications can be read"] });
      } catch (err) {
        out.push({
          status: "fail",
          subject: "Application.Read.All",
          details: [`reading applications failed: ${message(err)}`],
        });
      }
      return out;
    },
  },
  {
    id: "event-grid",
    title: "Each watched subscription's system topic delivers the right events to the function",
    fix: "Deploy the event subscriptions after the code: `azd deploy` (postdeploy hook) or `az deployment sub create -f infra/events.bicep …`.",
    async run(ctx) {
      const s = ctx.settings;
      if (!ctx.eventGrid) return skip("no Event Grid connection");
      if (!s || s.watchedSubscriptionIds.length === 0)
        return skip("WATCHED_SUBSCRIPTION_IDS is empty: no subscription to check");
      const eventGrid = ctx.eventGrid;
      return eachSubscription(s.watchedSubscriptionIds, "Event Grid", (sub) =>
        eventGridFor(ctx, eventGrid, sub),
      );
    },
  },
  {
    id: "store",
    title: "The audit store accepts writes, reads and deletes",
    fix: "Check STORE_TABLE_ENDPOINT (or STORE_CONNECTION_STRING), that the tables exist, and that the identity has Storage Table Data Contributor on the account.",
    async run(ctx) {
      if (!ctx.store)
        return ctx.live
          ? [{ status: "fail", details: ["no store configured"] }]
          : [
              {
                status: "warn",
                details: ["no store configured: offline replay keeps its audit records in memory"],
              },
            ];
      try {
        await ctx.store.probe();
        return [
          { status: "ok", subject: ctx.store.target, details: ["probe entity created, read and deleted"] },
        ];
      } catch (err) {
        return [{ status: "fail", subject: ctx.store.target, details: [message(err)] }];
      }
    },
  },
];
