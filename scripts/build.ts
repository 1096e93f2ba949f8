// `npm run build`: makes dist/ the deployable Function app (azure.yaml packages it) and the bundled CLI.
//   dist/functions/index.js   the Function entry: one ESM file, every dependency inside
//   dist/host.json            copied
//   dist/package.json         production manifest: type module, main -> functions/index.js, no dependencies
//   dist/cli.mjs              the CLI (bin/unregister-responder.mjs prefers it)
// Why ESM with a createRequire banner: CommonJS dependencies bundled into an ESM file call require()
// for Node built-ins and for @azure/functions-core, which the Functions host provides at run time (so it
// stays external); without a real `require` esbuild's shim throws "Dynamic require of X is not supported".
// The worker serves @azure/functions-core by wrapping Module.prototype.require, which a createRequire()
// require goes through, so the external resolves in the host. The Node worker loads an ESM entry named by
// package.json "main" (v4 model).
import { build as esbuild, type BuildOptions, type Metafile } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface BuildResult {
  outDir: string;
  functionEntry: string;
  cliEntry: string;
  functionBytes: number;
  cliBytes: number;
}

const REQUIRE_BANNER = [
  'import { createRequire as __createRequire } from "node:module";',
  "const require = __createRequire(import.meta.url);",
].join("\n");

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  // Node 20 here, Node 22 on Flex: the older target covers both.
  target: ["node20"],
  format: "esm",
  external: ["@azure/functions-core"],
  banner: { js: REQUIRE_BANNER },
  sourcemap: "linked",
  legalComments: "none",
  // Smaller text parses faster at cold start; names are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  logLevel: "warning",
  metafile: true,
  absWorkingDir: ROOT,
  // web-tree-sitter and azurite are dev tools; nothing on the runtime path imports them.
  mainFields: ["module", "main"],
};

function bytesOf(meta: Metafile, file: string): number {
  const out = Object.entries(meta.outputs).find(([path]) => resolve(ROOT, path) === file);
  return out?.[1].bytes ?? 0;
}

export type BuildTarget = "function" | "cli";

export async function build(
  outDir = join(ROOT, "dist"),
  targets: readonly BuildTarget[] = ["function", "cli"],
): Promise<BuildResult> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "functions"), { recursive: true });
  const functionEntry = join(outDir, "functions", "index.js");
  const cliEntry = join(outDir, "cli.mjs");

  const [fn, cli] = await Promise.all([
    targets.includes("function")
      ? esbuild({ ...common, entryPoints: [join(ROOT, "functions", "index.ts")], outfile: functionEntry })
      : null,
    targets.includes("cli")
      ? esbuild({ ...common, entryPoints: [join(ROOT, "lib", "cli", "main.ts")], outfile: cliEntry })
      : null,
  ]);

  copyFileSync(join(ROOT, "host.json"), join(outDir, "host.json"));
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const production = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    type: "module",
    main: "functions/index.js",
    engines: { node: ">=20" },
    // Everything is bundled; the host provides @azure/functions-core.
    dependencies: {},
  };
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify(production, null, 2)}\n`);
  // Flex Consumption deploys the package as-is: nothing to install remotely.
  writeFileSync(join(outDir, ".funcignore"), "*.map\n");

  return {
    outDir,
    functionEntry,
    cliEntry,
    functionBytes: fn?.metafile ? bytesOf(fn.metafile, functionEntry) : 0,
    cliBytes: cli?.metafile ? bytesOf(cli.metafile, cliEntry) : 0,
  };
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const outArg = process.argv.indexOf("--outdir");
  const outDir = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]!) : undefined;
  const only = process.argv.includes("--function-only") ? (["function"] as const) : undefined;
  build(outDir, only).then(
    (r) => {
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
      console.log(
        `built ${relative(process.cwd(), r.functionEntry)} (${kb(r.functionBytes)}), ${relative(process.cwd(), r.cliEntry)} (${kb(r.cliBytes)})`,
      );
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
