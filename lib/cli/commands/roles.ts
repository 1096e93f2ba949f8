// `roles FILE…`: explain the privilege of role definitions (ARM list, plain array, az or PowerShell
// output). One line per definition; `--explain` adds which pattern granted and which notAction removed.
import { readFile } from "node:fs/promises";
import {
  analyzeRole,
  parseRoleDefinitions,
  type Capability,
  type PrivilegeTier,
} from "../../review/privilege";
import type { RoleDefinition } from "../../tenant/ports";
import { parseCommonArgs } from "../args";
import { createResultWriter, openOutput, type Column } from "../output";
import { UsageError, type CliIO, type Command } from "../types";

const USAGE = `usage: unregister-responder roles FILE… [options]

FILE: role definitions as an ARM list ({"value":[…]}), a JSON array, \`az role definition list\` or
Get-AzRoleDefinition output; - for stdin.

options:
  --format table|json|ndjson   table on a terminal, ndjson otherwise
  --explain                    add the explanation (which pattern granted, which notAction removed)
  --out FILE                   write results to FILE

exit: 0 ok, 2 unreadable or unparseable file`;

export interface RoleLine {
  id: string;
  roleName: string;
  roleType: string;
  capabilities: Capability[];
  tier: PrivilegeTier;
  privileged: boolean;
  explain?: string[];
}

export function toRoleLine(def: RoleDefinition, withExplain = false): RoleLine {
  const a = analyzeRole(def);
  const line: RoleLine = {
    id: def.id,
    roleName: def.roleName,
    roleType: def.roleType,
    capabilities: a.capabilities,
    tier: a.tier,
    privileged: a.privileged,
  };
  if (withExplain) line.explain = a.explain;
  return line;
}

const ROLE_COLUMNS: Column<RoleLine>[] = [
  { header: "ROLE", value: (l) => l.roleName, maxWidth: 48 },
  { header: "TYPE", value: (l) => l.roleType },
  {
    header: "TIER",
    value: (l) => l.tier,
    colour: (l) => ({ admin: "1;31", "broad-write": "33" })[l.tier as string],
  },
  { header: "CAPABILITIES", value: (l) => l.capabilities.join(",") },
  { header: "ID", value: (l) => l.id },
];

async function readText(file: string, io: CliIO): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

async function loadDefinitions(file: string, io: CliIO): Promise<RoleDefinition[]> {
  const text = (await readText(file, io)).replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
  try {
    return parseRoleDefinitions(json);
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}

export async function runRoles(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommonArgs(argv, io, {
    allow: ["format", "out"],
    extra: { explain: { type: "boolean" } },
  });
  if (args.positionals.length === 0)
    throw new UsageError("roles needs at least one FILE of role definitions (or - for stdin)");
  // Read and parse everything first: a bad file fails the run before any partial output.
  const defs: RoleDefinition[] = [];
  for (const file of args.positionals) defs.push(...(await loadDefinitions(file, io)));

  const out = await openOutput(args.out, io, args.positionals);
  const writer = createResultWriter<RoleLine>(args.format, out.stream, {
    columns: ROLE_COLUMNS,
    colour: out.isTTY,
  });
  const tiers: Record<string, number> = {};
  try {
    for (const def of defs) {
      const line = toRoleLine(def, args.extra.explain === true);
      tiers[line.tier] = (tiers[line.tier] ?? 0) + 1;
      await writer.write(line);
    }
  } finally {
    await writer.end();
    await out.close();
  }
  io.stderr.write(
    `roles: ${defs.length} definitions; admin ${tiers.admin ?? 0}, broad-write ${tiers["broad-write"] ?? 0}, none ${tiers.none ?? 0}\n`,
  );
  return 0;
}

export const command: Command = {
  name: "roles",
  summary: "Explain the privilege of role definitions (ARM list, array or az output)",
  usage: USAGE,
  run: runRoles,
};
