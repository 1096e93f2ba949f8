// --out must never destroy or re-read an input: opening it truncates the file at once, before intake
// reads anything, and a directory walk would pick the growing output file up as one more input.
import assert from "node:assert/strict";
import { linkSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../lib/cli/main";
import { fakeIO } from "./fake-io";

const RECORD = JSON.stringify({
  eventDataId: "e0d1c2b3-a4f5-4e6d-8c7b-9a0f1e2d3c4b",
  eventTimestamp: "2025-03-14T09:26:53.5897932Z",
  operationName: { value: "Microsoft.Security/unregister/action" },
  status: { value: "Succeeded" },
  correlationId: "c0000000-0000-4000-8000-0000000000aa",
  subscriptionId: "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b",
});

function captures(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "ur-out-"));
  mkdirSync(join(dir, "caps"));
  const file = join(dir, "caps", "events.jsonl");
  writeFileSync(file, `${RECORD}\n`);
  return { dir, file };
}

describe("--out and the inputs", () => {
  it("refuses to write over an input file (exit 2, the file untouched)", async () => {
    const { file } = captures();
    const io = fakeIO();
    assert.equal(await main(["classify", file, "--out", file], io), 2);
    assert.match(io.err(), /--out .* is also an input/);
    assert.equal(readFileSync(file, "utf8"), `${RECORD}\n`);
  });

  it("sees through a second name for the same file (a hard link)", async () => {
    const { dir, file } = captures();
    const alias = join(dir, "alias.jsonl");
    linkSync(file, alias);
    const io = fakeIO();
    assert.equal(await main(["classify", file, "--out", alias], io), 2);
    assert.equal(readFileSync(file, "utf8"), `${RECORD}\n`);
  });

  it("refuses an --out inside an input directory (the walk would read the output back)", async () => {
    const { dir } = captures();
    const io = fakeIO();
    const out = join(dir, "caps", "results.json");
    assert.equal(await main(["classify", join(dir, "caps"), "--out", out], io), 2);
    assert.match(io.err(), /inside the input directory/);
  });

  it("writes an --out next to the inputs as before", async () => {
    const { dir, file } = captures();
    const io = fakeIO();
    const out = join(dir, "results.ndjson");
    assert.equal(await main(["classify", file, "--out", out], io), 0);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 1);
  });

  it("roles guards its inputs too", async () => {
    const { dir } = captures();
    const catalogue = join(dir, "roles.json");
    const text = readFileSync("test/fixtures/roles/arm-role-definitions.json", "utf8");
    writeFileSync(catalogue, text);
    assert.equal(await main(["roles", catalogue, "--out", catalogue], fakeIO()), 2);
    assert.equal(readFileSync(catalogue, "utf8"), text);
  });

  it("a write that fails (disk full) is a clear error with exit 2, not a crash", async () => {
    const { file } = captures();
    for (const format of ["ndjson", "json", "table"]) {
      const io = fakeIO();
      assert.equal(await main(["classify", file, "--out", "/dev/full", "--format", format], io), 2, format);
      assert.match(io.err(), /cannot write .*\/dev\/full.*ENOSPC/, format);
    }
  });
});
