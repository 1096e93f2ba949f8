// classify through main() with the real intake (lib/events) on files in a temp directory.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../lib/cli/main";
import { fakeIO, ndjson } from "./fake-io";

const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";

function eventGrid(id: string, op: string, corr: string, status = "Succeeded") {
  return {
    id,
    topic: `/subscriptions/${SUB}`,
    subject: `/subscriptions/${SUB}/providers/${op.split("/")[0]}`,
    eventType: `Microsoft.Resources.ResourceAction${status === "Succeeded" ? "Success" : "Failure"}`,
    eventTime: "2025-03-14T09:26:53.5897932Z",
    dataVersion: "2",
    metadataVersion: "1",
    data: {
      authorization: { scope: `/subscriptions/${SUB}`, action: op, evidence: { role: "Owner" } },
      claims: {
        "http://schemas.microsoft.com/identity/claims/objectidentifier":
          "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "alex.doe@contoso.example",
        idtyp: "user",
      },
      correlationId: corr,
      resourceProvider: op.split("/")[0],
      resourceUri: `/subscriptions/${SUB}/providers/${op.split("/")[0]}`,
      operationName: op,
      status,
      subscriptionId: SUB,
      tenantId: "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
    },
  };
}

function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "classify-e2e-"));
  mkdirSync(join(dir, "nested"));
  const e4 = eventGrid("e4", "Microsoft.Security/unregister/action", "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
  const redelivered = eventGrid(
    "e4-again",
    "microsoft.security/Unregister/Action",
    "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
  );
  const storage = eventGrid(
    "st",
    "Microsoft.Storage/storageAccounts/write",
    "c0000000-0000-4000-8000-0000000000aa",
  );
  // The unregister hidden behind JSON escapes: the fast path must not skip it.
  const escaped = JSON.stringify(
    eventGrid("esc", "Microsoft.Insights/unregister/action", "c0000000-0000-4000-8000-000000000006"),
  ).replace("Microsoft.Insights/unregister", "Microsoft.Insights\\/unr\\u0065gister");
  writeFileSync(
    join(dir, "a.jsonl"),
    [JSON.stringify(e4), JSON.stringify(storage), "{ not json", escaped].join("\n") + "\n",
  );
  writeFileSync(join(dir, "nested", "b.json"), JSON.stringify([redelivered]));
  return dir;
}

describe("cli classify end to end (real intake)", () => {
  it("reads a directory recursively, finds escaped records, dedups, reports malformed lines", async () => {
    const dir = fixtureDir();
    const io = fakeIO();
    const code = await main(["classify", dir, "--fail-on", "critical"], io);
    assert.equal(code, 1, io.err());
    const lines = ndjson(io.out());
    const results = lines.filter((l) => !l.rejected);
    assert.deepEqual(
      results.map((l) => [l.eventId, l.namespace, l.severity, l.duplicateOf ?? null]),
      [
        ["e4", "Microsoft.Security", "critical", null],
        ["esc", "Microsoft.Insights", "critical", null],
        ["e4-again", "Microsoft.Security", "critical", "e4"],
      ],
    );
    const rejected = lines.filter((l) => l.rejected);
    assert.equal(rejected.length, 1);
    assert.match(String(rejected[0]!.where), /a\.jsonl:3$/);
    assert.match(io.err(), /1 rejected/);
  });
  it("reads stdin with -", async () => {
    const io = fakeIO({
      stdin: JSON.stringify(
        eventGrid("s1", "MICROSOFT.AAD/UNREGISTER/ACTION", "c0000000-0000-4000-8000-000000000007"),
      ),
    });
    assert.equal(await main(["classify", "-"], io), 0);
    const [line] = ndjson(io.out());
    assert.equal(line?.namespace, "Microsoft.AAD");
    assert.equal(line?.severity, "high");
  });
  it("exit 2 with a clear message for a missing path, before any output", async () => {
    const io = fakeIO();
    assert.equal(await main(["classify", join(tmpdir(), "definitely-missing-events.json")], io), 2);
    assert.match(io.err(), /definitely-missing-events\.json/);
    assert.equal(io.out(), "");
  });
});
