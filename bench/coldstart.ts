// `npm run bench -- coldstart [--quick]`: what bundling buys at cold start. In the same run, N fresh
// node processes each import the Function entry and load the pipeline (warmUp: what the first
// invocation pays for), alternating between
//   bundled:   dist-style esbuild bundle (scripts/build.ts), one ESM file
//   unbundled: the same sources transpiled file by file (plain JS, no bundling) resolving node_modules,
//              i.e. what deploying tsc output with node_modules would load.
// Last line: {"bundledMs","unbundledMs","ratio",…} (medians; ratio = bundled / unbundled, target ≤ 0.8).
import { build as esbuild } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "../scripts/build";

const ROOT = resolve(".");
const quick = process.argv.includes("--quick");
const runs = quick ? 5 : 15;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Rewrites extensionless relative specifiers to the emitted .js files (Node ESM needs full paths). */
function fixSpecifiers(code: string, sourceFile: string): string {
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g,
    (whole, lead: string, q: string, spec: string) => {
      const base = resolve(dirname(sourceFile), spec);
      const target = existsSync(`${base}.ts`)
        ? `${spec}.js`
        : existsSync(join(base, "index.ts"))
          ? `${spec}/index.js`
          : null;
      return target ? `${lead}${q}${target}${q}` : whole;
    },
  );
}

async function transpileUnbundled(outDir: string): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const files = [...sources(join(ROOT, "functions")), ...sources(join(ROOT, "lib"))];
  await Promise.all(
    files.map(async (file) => {
      const result = await esbuild({
        entryPoints: [file],
        bundle: false,
        write: false,
        platform: "node",
        format: "esm",
        target: ["node20"],
        logLevel: "silent",
      });
      const out = join(outDir, relative(ROOT, file)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, fixSpecifiers(result.outputFiles[0]!.text, file));
    }),
  );
  writeFileSync(join(outDir, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(join(ROOT, "node_modules"), join(outDir, "node_modules"), "dir");
  return join(outDir, "functions", "index.js");
}

const PROBE = (entry: string) =>
  `const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); await m.warmUp(); ` +
  `process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));`;

function timeOnce(entry: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE(entry)], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`probe failed for ${entry}:\n${r.stderr}`);
  // The whole process (node start + import + warm-up), which is what a cold instance pays.
  JSON.parse(r.stdout);
  return wall;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const work = join(tmpdir(), `coldstart-${process.pid}`);
try {
  const bundled = await build(join(work, "bundled"), ["function"]);
  const unbundledEntry = await transpileUnbundled(join(work, "unbundled"));
  // One discarded run each: fill the OS file cache so both sides start equally warm.
  timeOnce(bundled.functionEntry);
  timeOnce(unbundledEntry);
  const b: number[] = [];
  const u: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(timeOnce(bundled.functionEntry));
    u.push(timeOnce(unbundledEntry));
  }
  const bundledMs = Math.round(median(b) * 10) / 10;
  const unbundledMs = Math.round(median(u) * 10) / 10;
  console.error(
    `bundled ${b.map((x) => x.toFixed(0)).join(" ")}\nunbundled ${u.map((x) => x.toFixed(0)).join(" ")}`,
  );
  console.log(
    JSON.stringify({
      bundledMs,
      unbundledMs,
      ratio: Math.round((bundledMs / unbundledMs) * 1000) / 1000,
      runs,
      bundleKiB: Math.round(bundled.functionBytes / 1024),
      node: process.version,
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
