import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../lib/cli/main";
import { fakeIO, ndjson } from "./fake-io";

const CATALOGUE = "test/fixtures/roles/arm-role-definitions.json";

describe("cli roles", () => {
  it("prints one contract line per role definition", async () => {
    const io = fakeIO();
    assert.equal(await main(["roles", CATALOGUE], io), 0);
    const lines = ndjson(io.out());
    assert.equal(lines.length, 427);
    const owner = lines.find((l) => l.roleName === "Owner");
    assert.deepEqual(Object.keys(owner ?? {}), [
      "id",
      "roleName",
      "roleType",
      "capabilities",
      "tier",
      "privileged",
    ]);
    assert.equal(owner?.tier, "admin");
    assert.equal(lines.find((l) => l.roleName === "Contributor")?.tier, "broad-write");
    assert.equal(lines.find((l) => l.roleName === "Reader")?.privileged, false);
    assert.match(io.err(), /427 definitions; admin 7, broad-write 2, none 418/);
  });
  it("reads az output from stdin, table on a terminal, explains on request", async () => {
    const az = JSON.stringify([
      {
        id: "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555",
        name: "11111111-2222-4333-8444-555555555555",
        roleName: "Granter",
        roleType: "CustomRole",
        permissions: [{ actions: ["Microsoft.Authorization/roleAssignments/*"], notActions: [] }],
      },
    ]);
    const coloured = fakeIO({ stdin: az, stdoutIsTTY: true });
    assert.equal(await main(["roles", "-"], coloured), 0);
    assert.ok(coloured.out().includes("\u001b[1;31madmin"), "admin in red on a terminal");
    const table = fakeIO({ stdin: az, stdoutIsTTY: true, env: { NO_COLOR: "1" } });
    assert.equal(await main(["roles", "-"], table), 0);
    assert.match(table.out(), /^ROLE\s+TYPE\s+TIER/);
    assert.match(table.out(), /Granter\s+CustomRole\s+.*admin/);
    const json = fakeIO({ stdin: az });
    assert.equal(await main(["roles", "-", "--format", "json", "--explain"], json), 0);
    const [line] = JSON.parse(json.out()) as { explain: string[] }[];
    assert.ok(
      line?.explain.some((l) => l.includes('granted by "Microsoft.Authorization/roleAssignments/*"')),
    );
  });
  it("exit 2 with a clear message for unreadable or unparseable files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roles-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{not json");
    const wrong = join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ hello: 1 }));
    for (const [file, message] of [
      [join(dir, "missing.json"), /cannot read .*missing\.json: ENOENT/],
      [bad, /bad\.json is not JSON/],
      [wrong, /expected role definitions/],
    ] as const) {
      const io = fakeIO();
      assert.equal(await main(["roles", file], io), 2);
      assert.match(io.err(), message);
      assert.equal(io.out(), "");
    }
  });
  it("exit 2 without files or with unknown flags", async () => {
    const none = fakeIO();
    assert.equal(await main(["roles"], none), 2);
    assert.match(none.err(), /needs at least one FILE/);
    const flag = fakeIO();
    assert.equal(await main(["roles", CATALOGUE, "--bogus"], flag), 2);
    assert.match(flag.err(), /--bogus/);
  });
});
