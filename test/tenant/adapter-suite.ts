// The one adapter suite, run against every mount of the simulator (in process and HTTPS loopback): the
// real SDK clients through createAzureTenant, the simulator's call log as the witness.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureTenantOptions } from "../../lib/tenant/azure";
import { PermissionError, TransientError } from "../../lib/tenant/errors";
import type { Tenant } from "../../lib/tenant/ports";
import type { Simulator, SimulatorOptions } from "../../lib/simulator/simulator";
import type { TenantSnapshot } from "../../lib/tenant/snapshot";
import {
  ADMINS,
  ALEX,
  ASSIGNMENTS_AT_SUB,
  CORRELATION,
  EVERYONE,
  EVERYONE_SIZE,
  GROUP,
  GUEST,
  OWNER,
  PIM_AT_SUB,
  READER,
  RG_SCOPE,
  SP,
  SP_APP,
  SUB,
  T0,
  assignmentId,
  fixtureSnapshot,
  userId,
} from "./fixture";

export type Tuning = Pick<AzureTenantOptions, "retry" | "requestTimeoutMs" | "roleDefinitionTtlMs">;

export interface Mount {
  simulator: Simulator;
  /** A fresh Tenant over this mount's transport (fresh caches). */
  tenant(tuning?: Tuning): Tenant;
  close(): Promise<void>;
}

export type MountFactory = (snapshot: TenantSnapshot, options: SimulatorOptions) => Promise<Mount>;

/** Small budgets keep fault tests fast; Retry-After is 0 so throttling costs no wall time. */
export const FAST: Tuning = {
  retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  requestTimeoutMs: 3000,
};

const PAGE = 10;
const subScope = `/subscriptions/${SUB}`;
const assignmentLists = (sim: Simulator) => sim.callsTo(/\/roleAssignments$/i, "GET");
/** The outer Graph call only (its sub-requests have other paths). */
const BATCH_PATH = /^\/v1\.0\/\$batch$/;
const batchCalls = (sim: Simulator) => sim.callsTo(BATCH_PATH, "POST");

export function adapterSuite(name: string, mountFactory: MountFactory): void {
  describe(`tenant adapter over the ${name} simulator mount`, () => {
    let mount: Mount;
    let sim: Simulator;
    let tenant: Tenant;
    before(async () => {
      mount = await mountFactory(fixtureSnapshot(), { pageSize: PAGE });
      sim = mount.simulator;
    });
    after(() => mount.close());
    beforeEach(() => {
      sim.reset();
      tenant = mount.tenant(FAST);
    });

    it("lists every assignment of a subscription across pages (nextLink)", async () => {
      const all = await tenant.roleAssignments.listForSubscription(SUB);
      assert.equal(all.length, ASSIGNMENTS_AT_SUB + 1);
      assert.equal(new Set(all.map((a) => a.id)).size, all.length);
      assert.equal(assignmentLists(sim).length, Math.ceil(all.length / PAGE));
      const alex = all.find((a) => a.principalId === ALEX);
      assert.equal(alex?.roleDefinitionGuid, OWNER);
      assert.equal(alex?.createdOn, "2024-02-01T00:00:00.000Z");
    });

    it("lists PIM schedule instances at, above and below the subscription across pages, normalised", async () => {
      const all = await tenant.roleAssignments.listScheduleInstances(SUB.toUpperCase());
      // No atScope(): the resource-group activation below the subscription must be seen too, or the
      // pim-managed guard could let a classic DELETE through to an assignment PIM owns.
      assert.equal(all.length, PIM_AT_SUB + 1, "the resource-group activation below is included");
      assert.ok(all.some((i) => /\/resourcegroups\//i.test(i.scope)));
      const lists = sim.callsTo(/\/roleAssignmentScheduleInstances$/i, "GET");
      assert.equal(lists.length, Math.ceil((PIM_AT_SUB + 1) / PAGE));
      assert.equal(lists[0]?.query["$filter"], undefined);
      assert.equal(lists[0]?.query["api-version"], "2020-10-01");
      const guest = all.find((i) => i.principalId === GUEST);
      assert.equal(guest?.assignmentType, "Activated");
      assert.equal(guest?.memberType, "Direct");
      assert.equal(guest?.endDateTime, "2025-03-14T15:26:53.000Z");
      assert.equal(
        guest?.roleAssignmentId.toLowerCase(),
        assignmentId(subScope, "33333333-0000-4000-8000-000000000002").toLowerCase(),
      );
      assert.match(guest?.linkedRoleEligibilityScheduleId ?? "", /roleEligibilitySchedules/);
      const permanent = all.filter((i) => i.assignmentType === "Assigned");
      assert.equal(permanent.length, PIM_AT_SUB - 1);
      assert.ok(permanent.every((i) => i.endDateTime === null));
    });

    it("a 403 on schedule instances is a PermissionError naming roleAssignmentScheduleInstances/read", async () => {
      sim.faults.add({ match: { pathPattern: /roleAssignmentScheduleInstances/i }, kind: "403" });
      await assert.rejects(
        tenant.roleAssignments.listScheduleInstances(SUB),
        (e: unknown) =>
          e instanceof PermissionError &&
          e.action === "Microsoft.Authorization/roleAssignmentScheduleInstances/read" &&
          /roleAssignmentScheduleInstances\/read at \/subscriptions\//.test(e.message),
      );
    });

    it("sends each $filter and gets the matching assignments", async () => {
      const atScope = await tenant.roleAssignments.listAtScope(subScope);
      assert.equal(atScope.length, ASSIGNMENTS_AT_SUB, "atScope() leaves out the resource-group assignment");
      assert.ok(atScope.every((a) => a.scope.toLowerCase() === subScope.toLowerCase()));
      const rg = await tenant.roleAssignments.listAtScope(RG_SCOPE);
      assert.ok(
        rg.some((a) => a.principalId === SP),
        "atScope() at the RG includes its own and inherited ones",
      );
      const forAlex = await tenant.roleAssignments.listForPrincipal(SUB, ALEX);
      assert.deepEqual(
        forAlex.map((a) => a.principalId),
        [ALEX],
      );
      const assignedTo = await tenant.roleAssignments.listAssignedTo(SUB, ALEX);
      assert.deepEqual(
        new Set(assignedTo.map((a) => a.principalId)),
        new Set([ALEX, GROUP]),
        "assignedTo expands groups",
      );
      const filters = sim.calls.map((c) => c.query.$filter).filter(Boolean);
      assert.ok(filters.includes("atScope()"));
      assert.ok(filters.includes(`principalId eq '${ALEX}'`));
      assert.ok(filters.includes(`assignedTo('${ALEX}')`));
    });

    it("gets an assignment, null when it does not exist; deletes twice (second already gone); creates", async () => {
      const id = assignmentId(subScope, "33333333-0000-4000-8000-000000000002");
      const got = await tenant.roleAssignments.get(id);
      assert.equal(got?.principalId, GUEST);
      assert.equal(
        await tenant.roleAssignments.get(assignmentId(subScope, "44444444-0000-4000-8000-000000000000")),
        null,
      );
      assert.deepEqual(await tenant.roleAssignments.delete(id), { deleted: true });
      assert.deepEqual(await tenant.roleAssignments.delete(id), { deleted: false });
      assert.equal(await tenant.roleAssignments.get(id), null);
      const created = await tenant.roleAssignments.create(subScope, "55555555-0000-4000-8000-000000000001", {
        roleDefinitionId: `${subScope}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
        principalId: GUEST.toUpperCase(),
        principalType: "User",
      });
      assert.equal(created.principalId, GUEST);
      assert.equal(created.roleDefinitionGuid, READER);
      assert.equal(
        (await tenant.roleAssignments.get(created.id))?.name,
        "55555555-0000-4000-8000-000000000001",
      );
    });

    it("caches role definitions: repeated and concurrent gets cost one call; a list seeds gets", async () => {
      const id = `${subScope}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`;
      const [a, b] = await Promise.all([tenant.roleDefinitions.get(id), tenant.roleDefinitions.get(id)]);
      assert.equal(a?.roleName, "Owner");
      assert.equal(b, a);
      await tenant.roleDefinitions.get(id);
      assert.equal(sim.callsTo(`/roleDefinitions/${OWNER}`).length, 1);
      assert.equal(await tenant.roleDefinitions.get("99999999-0000-4000-8000-000000000000", subScope), null);
      const list = await tenant.roleDefinitions.list(subScope);
      assert.ok(list.some((d) => d.name === READER));
      const before = sim.calls.length;
      assert.equal((await tenant.roleDefinitions.get(READER, subScope))?.roleName, "Reader");
      assert.equal(sim.calls.length, before, "served from the list");
    });

    it("reads and registers providers", async () => {
      assert.equal(
        (await tenant.providers.get(SUB, "Microsoft.Security")).registrationState,
        "NotRegistered",
      );
      const after = await tenant.providers.register(SUB, "Microsoft.Security");
      assert.match(after.registrationState, /^Regist(ering|ered)$/);
      const all = await tenant.providers.list(SUB);
      assert.ok(
        all.some((p) => p.namespace === "Microsoft.Insights" && p.registrationState === "Registered"),
      );
    });

    it("finds an operation in the activity log by correlation id", async () => {
      const rows = await tenant.activityLog.findOperation(SUB, CORRELATION, new Date(T0));
      assert.deepEqual(rows.map((r) => r.status).sort(), ["Started", "Succeeded"]);
      assert.ok(rows.every((r) => r.correlationId === CORRELATION));
      assert.deepEqual(
        await tenant.activityLog.findOperation(SUB, "c0000000-0000-4000-8000-0000000000ff", new Date(T0)),
        [],
      );
      const filter = sim.callsTo("/eventtypes/management/values")[0]?.query.$filter ?? "";
      assert.match(
        filter,
        /eventTimestamp ge '.+' and eventTimestamp le '.+' and correlationId eq '9a8b7c6d/,
      );
    });

    it("rides out a 429 storm honouring Retry-After, and fails typed after the retry budget", async () => {
      sim.faults.add({ kind: "429", times: 2, retryAfterSeconds: 0, match: { service: "arm" } });
      assert.equal((await tenant.providers.get(SUB, "Microsoft.Insights")).registrationState, "Registered");
      assert.deepEqual(
        sim.calls.map((c) => c.status),
        [429, 429, 200],
      );
      sim.faults.add({ kind: "429", retryAfterSeconds: 0, match: { service: "arm" } });
      const err = await tenant.providers.get(SUB, "Microsoft.Insights").catch((e: unknown) => e);
      assert.ok(err instanceof TransientError, String(err));
      assert.equal(err.statusCode, 429);
      assert.match(err.message, /still failed after retries with HTTP 429/);
    });

    it("retries a 500 and a reset connection; a persistent one becomes TransientError", async () => {
      sim.faults.add({ kind: "500", times: 1, match: { service: "arm" } });
      sim.faults.add({ kind: "reset", times: 1, match: { service: "arm" } });
      assert.equal((await tenant.roleAssignments.listAtScope(subScope)).length, ASSIGNMENTS_AT_SUB);
      sim.faults.add({ kind: "500", match: { service: "arm" } });
      await assert.rejects(
        tenant.roleAssignments.listForSubscription(SUB),
        (e: unknown) => e instanceof TransientError && e.statusCode === 500,
      );
      sim.faults.clear();
      sim.faults.add({ kind: "reset", match: { service: "arm" } });
      await assert.rejects(
        tenant.providers.list(SUB),
        (e: unknown) => e instanceof TransientError && /ECONNRESET/.test(e.message),
      );
    });

    it("gives up on a stalled call at the client time-out, typed transient", async () => {
      const quick = mount.tenant({ retry: { maxRetries: 1, retryDelayInMs: 5 }, requestTimeoutMs: 150 });
      sim.faults.add({ kind: "stall", match: { service: "arm" } });
      const err = await quick.activityLog
        .findOperation(SUB, CORRELATION, new Date(T0))
        .catch((e: unknown) => e);
      assert.ok(err instanceof TransientError, String(err));
      assert.match(err.message, /no answer in time/);
      assert.equal(sim.calls.length, 2, "the stalled attempt is retried once, then reported");
    });

    it("explains a 403 with the missing permission and the scope", async () => {
      sim.faults.add({ kind: "403", match: { service: "arm" } });
      const err = await tenant.roleAssignments.listForSubscription(SUB).catch((e: unknown) => e);
      assert.ok(err instanceof PermissionError, String(err));
      assert.equal(err.action, "Microsoft.Authorization/roleAssignments/read");
      assert.equal(err.scope, subScope);
      assert.match(
        err.message,
        new RegExp(`lacks Microsoft\\.Authorization/roleAssignments/read at ${subScope}`),
      );
      sim.faults.clear();
      sim.faults.add({ kind: "403", match: { service: "graph" } });
      const graphErr = await tenant.directory.resolve([ALEX]).catch((e: unknown) => e);
      assert.ok(graphErr instanceof PermissionError, String(graphErr));
      assert.match(graphErr.message, /Directory\.Read\.All/);
    });

    it("resolves 2,500 principals and an application in one Graph round trip, reporting the missing", async () => {
      const ids = fixtureSnapshot().principals.map((p) => p.id);
      const gone = "0de1e7ed-dead-4bad-8bad-00000000dead";
      const lookup = await tenant.directory.resolve([...ids, gone, "not-a-guid"], {
        applicationAppIds: [SP_APP],
      });
      const batches = sim.callsTo("/v1.0/$batch", "POST");
      assert.equal(batches.length, 1, "one HTTP call to Graph");
      const subs = sim.callsTo("/directoryObjects/getByIds", "POST");
      assert.equal(subs.length, 3, "2,500 ids in chunks of at most 1,000");
      assert.ok(subs.every((c) => c.batchId !== undefined && c.batchId === subs[0]?.batchId));
      assert.equal(lookup.found.size, ids.length);
      assert.equal(lookup.found.get(GUEST)?.userType, "Guest");
      assert.equal(lookup.found.get(SP)?.kind, "servicePrincipal");
      assert.deepEqual(lookup.missing.sort(), [gone, "not-a-guid"].sort());
      assert.equal(lookup.applications.get(SP_APP)?.credentials[0]?.kind, "password");
    });

    it("reads transitive memberships inside the same $batch as getByIds, reporting a 404 as incomplete", async () => {
      const gone = "0de1e7ed-dead-4bad-8bad-00000000dead";
      const lookup = await tenant.directory.resolve([ALEX, GUEST], {
        transitiveMemberOf: [ALEX, { id: SP, kind: "servicePrincipal" }, gone],
        transitiveMembersOf: [ADMINS],
      });
      assert.equal(batchCalls(sim).length, 1, "one HTTP call to Graph");
      const subs = sim.callsTo(/transitiveMember/, "GET");
      assert.equal(subs.length, 4);
      assert.ok(
        subs.every((c) => c.batchId !== undefined),
        "every membership read was a sub-request",
      );
      assert.equal(lookup.found.size, 2);
      assert.deepEqual(lookup.memberOf?.get(ALEX)?.sort(), [GROUP, ADMINS].sort(), "nested groups expanded");
      assert.deepEqual(lookup.memberOf?.get(SP), []);
      assert.equal(lookup.memberOf?.has(gone), false);
      assert.deepEqual(
        lookup.incomplete?.map((i) => [i.id, i.relation, i.status]),
        [[gone, "transitiveMemberOf", 404]],
      );
      assert.match(lookup.incomplete?.[0]?.reason ?? "", /Request_ResourceNotFound/);
      const members = lookup.groupMembers?.get(ADMINS) ?? [];
      assert.deepEqual(members.map((m) => m.id).sort(), [ALEX, GROUP, GUEST].sort());
      const guest = members.find((m) => m.id === GUEST);
      assert.equal(guest?.kind, "user");
      assert.equal(guest?.userType, "Guest");
      assert.equal(members.find((m) => m.id === GROUP)?.kind, "group");
    });

    it("follows @odata.nextLink of a large group inside a batch answer, for that item only", async () => {
      const lookup = await tenant.directory.resolve([], { transitiveMembersOf: [EVERYONE, ADMINS] });
      assert.equal(lookup.groupMembers?.get(EVERYONE)?.length, EVERYONE_SIZE);
      assert.equal(new Set(lookup.groupMembers?.get(EVERYONE)?.map((m) => m.id)).size, EVERYONE_SIZE);
      assert.equal(lookup.groupMembers?.get(ADMINS)?.length, 3);
      assert.equal(batchCalls(sim).length, 1);
      const reads = sim.callsTo(/transitiveMembers/, "GET");
      assert.equal(reads.length, 3, "two sub-requests + one next page (999 per page)");
      assert.equal(
        reads.filter((c) => c.batchId === undefined).length,
        1,
        "the next page is a call of its own",
      );
      assert.deepEqual(lookup.incomplete, []);
    });

    it("more than 20 sub-requests go as several $batch calls sent together; a 403 on one item stays that item's", async () => {
      const users = Array.from({ length: 25 }, (_, i) => userId(i + 1));
      sim.faults.add({ kind: "403", match: { service: "graph", pathPattern: /transitiveMembers/ } });
      const lookup = await tenant.directory.resolve([ALEX], {
        transitiveMemberOf: users,
        transitiveMembersOf: [ADMINS],
      });
      assert.equal(batchCalls(sim).length, 2, "27 sub-requests: two batches");
      assert.equal(lookup.memberOf?.size, 25);
      assert.deepEqual(lookup.memberOf?.get(userId(1)), [EVERYONE]);
      assert.equal(lookup.groupMembers?.has(ADMINS), false);
      assert.deepEqual(
        lookup.incomplete?.map((i) => [i.id, i.relation, i.status]),
        [[ADMINS, "transitiveMembers", 403]],
      );
    });

    it("retries the Graph $batch call itself after a 500, a reset and a 503, then answers", async () => {
      const outer = { service: "graph" as const, pathPattern: BATCH_PATH };
      sim.faults.add({ kind: "500", times: 1, match: outer });
      sim.faults.add({ kind: "reset", times: 1, match: outer });
      const lookup = await tenant.directory.resolve([ALEX, GUEST]);
      assert.equal(lookup.found.size, 2);
      assert.deepEqual(
        batchCalls(sim).map((c) => c.fault ?? c.status),
        ["500", "reset", 200],
        "two faults within the budget of 2 retries, then the answer",
      );
      sim.reset();
      sim.faults.add({ kind: "503", times: 2, retryAfterSeconds: 0, match: outer });
      assert.equal((await tenant.directory.applicationByAppId(SP_APP))?.appId, SP_APP);
      assert.equal(batchCalls(sim).length, 3);
    });

    it("fails typed after the Graph retry budget: persistent 500, reset, stall", async () => {
      const outer = { service: "graph" as const, pathPattern: BATCH_PATH };
      sim.faults.add({ kind: "500", match: outer });
      const err = await tenant.directory.resolve([ALEX]).catch((e: unknown) => e);
      assert.ok(err instanceof TransientError, String(err));
      assert.equal(err.statusCode, 500);
      assert.match(err.message, /directory\.read .*still failed after retries with HTTP 500/);
      assert.equal(batchCalls(sim).length, 3, "first attempt + maxRetries (2)");
      sim.reset();
      sim.faults.add({ kind: "reset", match: outer });
      // fetch names a reset ECONNRESET in process and UND_ERR_SOCKET ("other side closed") over a socket
      await assert.rejects(
        tenant.directory.resolve([ALEX]),
        (e: unknown) =>
          e instanceof TransientError &&
          /failed on the network \((ECONNRESET|UND_ERR_SOCKET)/.test(e.message),
      );
      assert.equal(batchCalls(sim).length, 3);
      sim.reset();
      const quick = mount.tenant({ retry: { maxRetries: 1, retryDelayInMs: 5 }, requestTimeoutMs: 150 });
      sim.faults.add({ kind: "stall", match: outer });
      const stalled = await quick.directory.resolve([ALEX]).catch((e: unknown) => e);
      assert.ok(stalled instanceof TransientError, String(stalled));
      assert.match(stalled.message, /no answer in time/);
      assert.equal(batchCalls(sim).length, 2, "the stalled attempt is retried once, then reported");
    });

    it("does not retry what retrying cannot fix (403 on the Graph call)", async () => {
      sim.faults.add({ kind: "403", match: { service: "graph", pathPattern: BATCH_PATH } });
      await assert.rejects(tenant.directory.resolve([ALEX]), (e: unknown) => e instanceof PermissionError);
      assert.equal(batchCalls(sim).length, 1);
    });

    it("retries only the throttled Graph sub-request, honouring its Retry-After", async () => {
      sim.faults.add({
        kind: "429",
        times: 1,
        retryAfterSeconds: 0,
        match: { service: "graph", pathPattern: /getByIds/ },
      });
      const lookup = await tenant.directory.resolve([ALEX, GUEST], { applicationAppIds: [SP_APP] });
      assert.equal(lookup.found.size, 2);
      assert.deepEqual(lookup.missing, []);
      assert.equal(sim.callsTo("/v1.0/$batch", "POST").length, 2);
      assert.equal(sim.callsTo("/applications(", "GET").length, 1, "the application lookup was not repeated");
      sim.faults.add({
        kind: "503",
        retryAfterSeconds: 0,
        match: { service: "graph", pathPattern: /getByIds/ },
      });
      await assert.rejects(tenant.directory.resolve([ALEX]), (e: unknown) => e instanceof TransientError);
    });
  });
}
