// `npm run bench -- NAME [--quick]`: runs bench/NAME.ts, which prints its figures as the last line (JSON).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));
// Only the listed benchmarks: not helpers (`_generate`) nor paths outside bench/.
if (!name || !available.includes(name) || !existsSync(`bench/${name}.ts`)) {
  console.error(`usage: npm run bench -- NAME [--quick]   (NAME: ${available.join(", ")})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--import", "tsx", `bench/${name}.ts`, ...rest], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
