// `npm run bench -- review [--quick]`: what one review costs against a big tenant under injected latency.
// A 5,000-assignment, 2,000-principal tenant (generateLargeTenant over samples/tenant.json), 50 ms per
// HTTP call on the simulator, a burst of unregister events (with duplicates) through the real pipeline
// (lib/respond, plan mode, real SDK clients over the in-process simulator).
// Figures come from the simulator's call log:
//   apiCallsPerEvent         HTTP calls that load one review (nextLink pages, verification and actions excluded)
//   roundTripsCriticalPath   sequential round trips of that load (calls that overlap in time share one)
//   pipelineCallsPerEvent / pipelineRoundTrips  the same for the whole respond() (verify included, pages included)
//   p50Ms, p99Ms             respond() wall time per event during the concurrent burst
// Last stdout line: the figures as JSON.
import { loadSettings } from "../lib/config/settings";
import { defaultPolicy } from "../lib/review/policy";
import { respond, runState, type ResponderDeps } from "../lib/respond";
import { MemoryStore } from "../lib/store/memory";
import { Simulator, generateLargeTenant, type SimCall } from "../lib/simulator/index";
import { createAzureTenant } from "../lib/tenant/azure/index";
import { staticTokenCredential } from "../lib/tenant/azure/credential";
import { loadSnapshot } from "../lib/tenant/snapshot";
import type { ActivityEvent } from "../lib/events/types";
import { testEvent } from "../test/support/events";

const quick = process.argv.includes("--quick");
// ARM's page size for role-assignment lists is undocumented (see the simulator's default, 100, and why):
// `--page-size N` shows how much of p50 is nextLink paging, e.g. 5000 for "one page at subscription scope".
const pageSizeArg = process.argv.indexOf("--page-size");
const PAGE_SIZE = pageSizeArg > 0 ? Number(process.argv[pageSizeArg + 1]) : undefined;
if (PAGE_SIZE !== undefined && !(Number.isInteger(PAGE_SIZE) && PAGE_SIZE > 0))
  throw new Error(`--page-size needs a whole number above 0, got "${process.argv[pageSizeArg + 1]}"`);
const LATENCY_MS = 50;
const DISTINCT = quick ? 8 : 30;
const DUPLICATES = quick ? 4 : 15;
const CONCURRENCY = 8;
const SAMPLED = quick ? 3 : 6;
const PROD = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
const NAMESPACES = [
  "Microsoft.Security",
  "Microsoft.Insights",
  "Microsoft.PolicyInsights",
  "Microsoft.AAD",
  "Microsoft.KeyVault",
  "Microsoft.EventGrid",
];

const base = loadSnapshot("samples/tenant.json");
const snapshot = generateLargeTenant({ assignments: 5_000, principals: 2_000, seed: 7, base });
const T0 = Date.parse("2025-03-14T09:26:53.589Z");

function burstEvent(i: number): ActivityEvent {
  const ns = NAMESPACES[i % NAMESPACES.length]!;
  const corr = `be000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  const time = new Date(T0 + i * 60_000).toISOString();
  const op = `${ns}/unregister/action`;
  snapshot.activityLog.push({
    eventDataId: `bench-${i}`,
    correlationId: corr,
    operationName: { value: op },
    status: { value: "Succeeded" },
    eventTimestamp: time,
    caller: "alex.doe@contoso.example",
    resourceId: `/subscriptions/${PROD}/providers/${ns}`,
    subscriptionId: PROD,
  });
  return testEvent({
    eventId: `bench-${i}`,
    correlationId: corr,
    time,
    operationName: op,
    subscriptionId: PROD,
    tenantId: snapshot.tenantId,
    resourceId: `/subscriptions/${PROD}/providers/${ns}`,
    actor: { objectId: ALEX, type: "user", upn: "alex.doe@contoso.example" },
    where: `bench:${i}`,
  });
}

const events = Array.from({ length: DISTINCT + SAMPLED }, (_, i) => burstEvent(i));
const simulator = new Simulator(snapshot, {
  latencyMs: LATENCY_MS,
  ...(PAGE_SIZE !== undefined ? { pageSize: PAGE_SIZE } : {}),
});
const tenant = createAzureTenant({
  tenantId: snapshot.tenantId,
  credential: staticTokenCredential(),
  armEndpoint: "https://management.simulator.invalid",
  graphEndpoint: "https://graph.simulator.invalid",
  httpClient: simulator.httpClient(),
  graphMiddleware: simulator.graphMiddleware(),
});
const settings = loadSettings({ MODE: "plan" });
const deps: ResponderDeps = {
  tenant,
  store: new MemoryStore(),
  publisher: { publishIncident: async () => {} },
  settings,
  policy: defaultPolicy(),
  log: { info() {}, warn() {}, error() {} },
  now: () => new Date(T0 + 48 * 3_600_000),
  protectedIds: [],
  live: false,
  instanceId: "bench",
};
deps.run = runState(deps);

// HTTP calls only (sub-requests inside a Graph $batch travel in their parent call).
const http = (calls: SimCall[]) => calls.filter((c) => !c.batchId);
const isPage = (c: SimCall) => Object.keys(c.query).some((k) => /skiptoken/i.test(k));
const isReviewLoad = (c: SimCall) =>
  c.service === "graph"
    ? c.method === "POST"
    : c.method === "GET" &&
      /\/(roleAssignments|roleDefinitions|roleAssignmentScheduleInstances)$/i.test(c.path) &&
      !isPage(c) &&
      // atScope() is the planner's last-Owner check (verification), not the review's load
      !/atScope\(\)/i.test(c.query.$filter ?? "");

/** Sequential round trips: calls that arrive while an earlier one is still in flight (latency-long) overlap. */
function roundTrips(calls: SimCall[]): number {
  let trips = 0;
  let waveStart = -Infinity;
  for (const c of [...calls].sort((a, b) => a.at - b.at)) {
    if (c.at >= waveStart + LATENCY_MS * 0.8) {
      trips++;
      waveStart = c.at;
    }
  }
  return trips;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

// Phase 1: events one at a time, so every call belongs to one event.
// The first warms the role-definition cache, as a running Function instance would have it warm.
const reviewCalls: number[] = [];
const reviewTrips: number[] = [];
const pipelineCalls: number[] = [];
const pipelineTrips: number[] = [];
const pages: number[] = [];
let coldCalls = 0;
for (const [i, e] of events.slice(DISTINCT).entries()) {
  const from = simulator.calls.length;
  await respond(e, deps);
  const calls = http(simulator.calls.slice(from));
  if (i === 0 && SAMPLED > 1) {
    coldCalls = calls.filter(isReviewLoad).length;
    continue;
  }
  const load = calls.filter(isReviewLoad);
  reviewCalls.push(load.length);
  reviewTrips.push(roundTrips(load));
  pipelineCalls.push(calls.length);
  pipelineTrips.push(roundTrips(calls));
  pages.push(calls.filter(isPage).length);
}

// Phase 2: the burst, concurrently, with duplicates (redeliveries of events already in the burst).
const burst = [...events.slice(0, DISTINCT), ...events.slice(0, DUPLICATES)];
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const started = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < burst.length) {
      const e = burst[next++]!;
      const t = performance.now();
      try {
        const o = await respond(e, deps);
        statuses[o.status] = (statuses[o.status] ?? 0) + 1;
      } catch (err) {
        // a duplicate arriving while the first delivery holds the lease asks for redelivery
        const name = (err as Error).name;
        statuses[name] = (statuses[name] ?? 0) + 1;
      }
      latencies.push(performance.now() - t);
    }
  }),
);
const wallMs = Date.now() - started;

const figures = {
  apiCallsPerEvent: Number(mean(reviewCalls).toFixed(2)),
  roundTripsCriticalPath: Number(mean(reviewTrips).toFixed(2)),
  p50Ms: Math.round(pct(latencies, 50)),
  p99Ms: Math.round(pct(latencies, 99)),
  apiCallsFirstEventColdCache: coldCalls,
  pipelineCallsPerEvent: Number(mean(pipelineCalls).toFixed(2)),
  pipelineRoundTrips: Number(mean(pipelineTrips).toFixed(2)),
  pagesPerEvent: Number(mean(pages).toFixed(2)),
  assignments: snapshot.roleAssignments.length,
  principals: snapshot.principals.length,
  latencyMsPerCall: LATENCY_MS,
  armPageSize: simulator.options.pageSize,
  burstEvents: burst.length,
  duplicatesInBurst: DUPLICATES,
  outcomes: statuses,
  burstWallMs: wallMs,
  concurrency: CONCURRENCY,
  quick,
  targets: { apiCallsPerEvent: 4, roundTripsCriticalPath: 3 },
};
console.log(
  `review: ${figures.apiCallsPerEvent} calls / ${figures.roundTripsCriticalPath} round trips to load a review ` +
    `(whole pipeline ${figures.pipelineCallsPerEvent} calls, ${figures.pagesPerEvent} of them nextLink pages, ${figures.pipelineRoundTrips} round trips); ` +
    `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms at ${LATENCY_MS} ms per call`,
);
console.log(JSON.stringify(figures));
