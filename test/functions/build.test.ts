// The deployable bundle: `scripts/build.ts` into a temp dir, then the bundled entry is loaded in a fresh
// node process (as the host would: ESM, @azure/functions-core absent -> test mode) and run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { build, type BuildResult } from "../../scripts/build";

let out: BuildResult;
const dir = mkdtempSync(join(tmpdir(), "responder-build-"));

before(async () => {
  out = await build(join(dir, "dist"), ["function"]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run build (function bundle)", () => {
  it("lays out a deployable app: entry, host.json, production package.json without dependencies", () => {
    assert.ok(existsSync(out.functionEntry));
    assert.deepEqual(
      JSON.parse(readFileSync(join(out.outDir, "host.json"), "utf8")),
      JSON.parse(readFileSync("host.json", "utf8")),
    );
    const pkg = JSON.parse(readFileSync(join(out.outDir, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(pkg.type, "module");
    assert.equal(pkg.main, "functions/index.js");
    assert.deepEqual(pkg.dependencies, {});
    assert.ok(out.functionBytes > 100_000, "dependencies are inside the bundle");
  });

  it("keeps @azure/functions-core external (the host provides it) and bundles everything else", () => {
    const code = readFileSync(out.functionEntry, "utf8");
    assert.ok(code.includes('"@azure/functions-core"'));
    assert.ok(
      !/from\s*"@azure\/(arm-|identity|data-tables|eventgrid)/.test(code),
      "no bare imports of SDK packages",
    );
  });

  it("loads in a fresh node process, pipeline included, and its handlers run", () => {
    const probe = `
      const m = await import(${JSON.stringify(pathToFileURL(out.functionEntry).href)});
      await m.warmUp();
      const res = await m.healthHandler({}, {});
      process.stdout.write(JSON.stringify({ exports: Object.keys(m).sort(), status: res.status, body: res.jsonBody }));`;
    // Outside node_modules' reach and with no settings: the bundle must stand alone.
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stderr.includes("Dynamic require"), r.stderr);
    const result = JSON.parse(r.stdout) as {
      exports: string[];
      status: number;
      body: { invalidSettings: string[] };
    };
    assert.deepEqual(result.exports, ["eventGridHandler", "healthHandler", "selfTestHandler", "warmUp"]);
    assert.equal(result.status, 503);
    assert.ok(result.body.invalidSettings.includes("STORE_TABLE_ENDPOINT"));
  });
});
