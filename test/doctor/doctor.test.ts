// The doctor catches each misconfiguration it is meant to: a missing setting, a missing ARM permission,
// a missing Graph permission, a missing or misfiltered event subscription, an unreachable store.
// Offline: the tenant simulator (real SDK clients), the simulated Event Grid, Azurite for the store.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { main } from "../../lib/cli/main";
import { openDoctor, type DoctorOptions } from "../../lib/doctor/context";
import { exitCodeOf, formatText, runDoctor } from "../../lib/doctor/run";
import { deployedWiring } from "../../lib/doctor/simulated-eventgrid";
import type { CheckReport, CheckStatus } from "../../lib/doctor/types";
import { startAzurite, type Azurite } from "../support/azurite";
import { doctorEnv, doctorTenant, LEAST_PRIVILEGE_ACTIONS, SUB, type TenantOptions } from "./tenant";

let azurite: Azurite;
before(async () => {
  azurite = await startAzurite();
});
after(async () => azurite.stop());

async function doctor(
  o: {
    env?: Record<string, string>;
    tenant?: TenantOptions;
    eventGridTopics?: DoctorOptions["eventGridTopics"];
    graph403?: boolean;
  } = {},
): Promise<CheckReport[]> {
  const opened = await openDoctor({
    live: false,
    env: o.env ?? doctorEnv({ STORE_CONNECTION_STRING: azurite.connectionString }),
    snapshot: doctorTenant(o.tenant),
    ...(o.eventGridTopics ? { eventGridTopics: o.eventGridTopics } : {}),
  });
  if (o.graph403) opened.simulator!.faults.add({ kind: "403", match: { service: "graph" } });
  try {
    return await runDoctor(opened.ctx);
  } finally {
    await opened.close();
  }
}

function statusOf(reports: CheckReport[], id: string): CheckStatus[] {
  const r = reports.find((x) => x.id === id);
  assert.ok(r, `check ${id} ran`);
  return r.results.map((x) => x.status);
}
const detailsOf = (reports: CheckReport[], id: string): string =>
  reports
    .find((x) => x.id === id)!
    .results.flatMap((r) => r.details)
    .join("\n");

describe("doctor (offline)", () => {
  it("passes a correct deployment: every check ok, exit 0", async () => {
    const reports = await doctor();
    for (const id of ["settings", "arm-permissions", "graph-permissions", "event-grid", "store"])
      assert.deepEqual([...new Set(statusOf(reports, id))], ["ok"], `${id}: ${detailsOf(reports, id)}`);
    assert.equal(exitCodeOf(reports), 0);
  });

  it("a missing setting fails the settings check and says which", async () => {
    const env = doctorEnv();
    delete (env as Record<string, string | undefined>).RESPONDER_PRINCIPAL_ID;
    const reports = await doctor({ env });
    assert.deepEqual(statusOf(reports, "settings"), ["fail"]);
    assert.match(detailsOf(reports, "settings"), /RESPONDER_PRINCIPAL_ID is required/);
    assert.match(detailsOf(reports, "settings"), /STORE_TABLE_ENDPOINT is required/);
    assert.deepEqual(statusOf(reports, "arm-permissions"), ["skip"], "cannot tell whose permissions");
    assert.equal(exitCodeOf(reports), 1);
    assert.match(formatText(reports), /fix: Set the named app settings/);
  });

  it("a missing permission fails the permissions check and names the action", async () => {
    const reports = await doctor({
      tenant: {
        responderActions: LEAST_PRIVILEGE_ACTIONS.filter((a) => a !== "Microsoft.Insights/eventtypes/*"),
      },
    });
    assert.deepEqual(statusOf(reports, "arm-permissions"), ["fail"]);
    assert.match(
      detailsOf(reports, "arm-permissions"),
      /missing Microsoft\.Insights\/eventtypes\/values\/read/,
    );
    assert.equal(exitCodeOf(reports), 1);
  });

  it("delete and register are needed in revert mode only", async () => {
    const tenant = {
      responderActions: LEAST_PRIVILEGE_ACTIONS.filter(
        (a) => a !== "Microsoft.Authorization/roleAssignments/delete",
      ),
    };
    const flag = await doctor({ tenant });
    assert.deepEqual(statusOf(flag, "arm-permissions"), ["warn"]);
    const revert = await doctor({
      tenant,
      env: doctorEnv({ MODE: "revert", STORE_CONNECTION_STRING: azurite.connectionString }),
    });
    assert.deepEqual(statusOf(revert, "arm-permissions"), ["fail"]);
    assert.match(detailsOf(revert, "arm-permissions"), /roleAssignments\/delete/);
  });

  it("no role at all fails; Owner works but is flagged as more than needed", async () => {
    const none = await doctor({ tenant: { responderRoles: [] } });
    assert.deepEqual(statusOf(none, "arm-permissions"), ["fail"]);
    assert.match(detailsOf(none, "arm-permissions"), /no role assignment/);
    const owner = await doctor({ tenant: { responderRoles: ["owner"] } });
    assert.deepEqual(statusOf(owner, "arm-permissions"), ["warn"]);
    assert.match(detailsOf(owner, "arm-permissions"), /over-privileged: "Owner"/);
  });

  it("a missing Graph permission fails the Graph check", async () => {
    const reports = await doctor({ graph403: true });
    assert.ok(statusOf(reports, "graph-permissions").includes("fail"));
    assert.match(detailsOf(reports, "graph-permissions"), /getByIds failed/);
    assert.equal(exitCodeOf(reports), 1);
  });

  it("a missing system topic or event subscription fails the Event Grid check", async () => {
    const noTopic = await doctor({ eventGridTopics: [] });
    assert.deepEqual(statusOf(noTopic, "event-grid"), ["fail"]);
    assert.match(detailsOf(noTopic, "event-grid"), /no Microsoft\.Resources\.Subscriptions system topic/);

    const bare = { ...deployedWiring(SUB), eventSubscriptions: [] };
    const noSub = await doctor({ eventGridTopics: [bare] });
    assert.deepEqual(statusOf(noSub, "event-grid"), ["fail"]);
    assert.match(detailsOf(noSub, "event-grid"), /no event subscription to unregisterResponder/);

    const wired = deployedWiring(SUB);
    const wrongFunction = {
      ...wired,
      eventSubscriptions: [{ ...wired.eventSubscriptions[0]!, resourceId: "/x/functions/somethingElse" }],
    };
    assert.deepEqual(statusOf(await doctor({ eventGridTopics: [wrongFunction] }), "event-grid"), ["fail"]);
  });

  it("no right to read Event Grid is reported as a failed check, not a crash", async () => {
    const opened = await openDoctor({
      live: false,
      env: doctorEnv({ STORE_CONNECTION_STRING: azurite.connectionString }),
      snapshot: doctorTenant(),
    });
    opened.eventGrid!.deny = true;
    const reports = await runDoctor(opened.ctx);
    assert.deepEqual(statusOf(reports, "event-grid"), ["fail"]);
    assert.match(detailsOf(reports, "event-grid"), /Microsoft\.EventGrid\/systemTopics\/read denied/);
    assert.ok(opened.eventGrid!.calls.length >= 1);
  });

  it("a misfiltered event subscription fails and says which operations it drops", async () => {
    const wired = deployedWiring(SUB);
    const base = wired.eventSubscriptions[0]!;
    const onlyUnregister = {
      ...wired,
      eventSubscriptions: [
        {
          ...base,
          advancedFilters: [
            { operatorType: "StringEndsWith", key: "data.operationName", values: ["/unregister/action"] },
          ],
        },
      ],
    };
    const r1 = await doctor({ eventGridTopics: [onlyUnregister] });
    assert.deepEqual(statusOf(r1, "event-grid"), ["fail"]);
    assert.match(detailsOf(r1, "event-grid"), /drops "\*\/roleAssignments\/write"/);
    assert.doesNotMatch(detailsOf(r1, "event-grid"), /drops "\*\/unregister\/action"/);

    const oneNamespace = {
      ...wired,
      eventSubscriptions: [
        {
          ...base,
          advancedFilters: [
            {
              operatorType: "StringIn",
              key: "data.operationName",
              values: [
                "Microsoft.Security/unregister/action",
                "Microsoft.Authorization/roleAssignments/write",
                "Microsoft.Authorization/roleAssignments/delete",
              ],
            },
          ],
        },
      ],
    };
    const r2 = await doctor({ eventGridTopics: [oneNamespace] });
    assert.deepEqual(statusOf(r2, "event-grid"), ["fail"]);
    assert.match(detailsOf(r2, "event-grid"), /drops "\*\/unregister\/action"/);

    const noActions = {
      ...wired,
      eventSubscriptions: [
        {
          ...base,
          includedEventTypes: [
            "Microsoft.Resources.ResourceWriteSuccess",
            "Microsoft.Resources.ResourceDeleteSuccess",
          ],
        },
      ],
    };
    const r3 = await doctor({ eventGridTopics: [noActions] });
    assert.deepEqual(statusOf(r3, "event-grid"), ["fail"]);
    assert.match(detailsOf(r3, "event-grid"), /ResourceActionSuccess/);

    const successOnly = {
      ...wired,
      eventSubscriptions: [
        {
          ...base,
          includedEventTypes: [
            "Microsoft.Resources.ResourceActionSuccess",
            "Microsoft.Resources.ResourceWriteSuccess",
            "Microsoft.Resources.ResourceDeleteSuccess",
          ],
          deadLetter: false,
        },
      ],
    };
    const r4 = await doctor({ eventGridTopics: [successOnly] });
    assert.deepEqual(statusOf(r4, "event-grid"), ["warn"]);
    assert.match(detailsOf(r4, "event-grid"), /no dead-letter destination/);
  });

  it("an unreachable store fails the store check within seconds", async () => {
    const closed =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
    const reports = await doctor({ env: doctorEnv({ STORE_CONNECTION_STRING: closed }) });
    assert.deepEqual(statusOf(reports, "store"), ["fail"]);
    assert.match(detailsOf(reports, "store"), /failed: connect ECONNREFUSED/);
    assert.doesNotMatch(formatText(reports), /Eby8vdM02xNOcqFlq/, "the account key is never printed");
    assert.equal(exitCodeOf(reports), 1);
  });

  it("a bad value elsewhere (MODE) does not stop the store check probing the configured store", async () => {
    const reports = await doctor({
      env: doctorEnv({ STORE_CONNECTION_STRING: azurite.connectionString, MODE: "nuke" }),
    });
    assert.deepEqual(statusOf(reports, "settings").includes("fail"), true);
    assert.deepEqual(statusOf(reports, "store"), ["ok"], detailsOf(reports, "store"));
  });
});

describe("doctor command", () => {
  const dir = mkdtempSync(join(tmpdir(), "doctor-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(argv: string[], env: Record<string, string> = {}) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (d) => (out += String(d)));
    stderr.on("data", (d) => (err += String(d)));
    const code = await main(["doctor", ...argv], {
      stdin: new PassThrough(),
      stdout,
      stderr,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env,
      cwd: dir,
    });
    return { code, out, err };
  }

  it("runs offline against a snapshot with settings from a local.settings.json file, exit 0 when healthy", async () => {
    writeFileSync(join(dir, "tenant.json"), JSON.stringify(doctorTenant()));
    writeFileSync(
      join(dir, "local.settings.json"),
      JSON.stringify({
        IsEncrypted: false,
        Values: doctorEnv({ STORE_CONNECTION_STRING: azurite.connectionString }),
      }),
    );
    const r = await cli(["--tenant", "tenant.json", "--settings", "local.settings.json"]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /all checks passed/);
  });

  it("exits 1 and prints how to fix when a check fails; --format json gives one line per check", async () => {
    const r = await cli(["--tenant", "tenant.json", "--setting", "MODE=revert", "--format", "json"], {
      WATCHED_SUBSCRIPTION_IDS: SUB,
    });
    assert.equal(r.code, 1);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CheckReport);
    assert.deepEqual(
      lines.map((l) => l.id),
      ["settings", "arm-permissions", "graph-permissions", "event-grid", "store"],
    );
    assert.ok(lines.every((l) => l.fix.length > 10));
  });

  it("rejects bad flags with exit 2", async () => {
    assert.equal((await cli(["--format", "xml"])).code, 2);
    assert.equal((await cli(["--setting", "NOVALUE"])).code, 2);
    assert.equal((await cli(["--live", "--tenant", "x.json"])).code, 2);
  });
});
