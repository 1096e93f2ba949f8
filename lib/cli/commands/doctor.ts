// `unregister-responder doctor [--live] [--tenant SNAPSHOT] [--setting NAME=VALUE]… [--settings FILE] [--format text|json]`
// Checks settings, the identity's permissions, Graph access, Event Grid wiring and the store, and says
// how to fix what is wrong. Exit 1 when a check fails.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { openDoctor } from "../../doctor/context";
import { exitCodeOf, formatJson, formatText, runDoctor } from "../../doctor/run";
import { UsageError, type Command } from "../types";

const USAGE = `usage: unregister-responder doctor [--live] [--tenant SNAPSHOT] [--setting NAME=VALUE]... [--settings FILE] [--format text|json]

Checks, each with how to fix it: settings, the identity's permissions on every watched subscription,
Microsoft Graph access, each subscription's Event Grid system topic and event subscription, the store.
Settings come from the environment, then --settings FILE (local.settings.json: its "Values"), then --setting.
Offline (default) the checks run against the tenant simulator loaded with --tenant (default
samples/tenant.json) and the Event Grid wiring infra/ deploys. Exit 1 when a check fails.`;

interface Args {
  live: boolean;
  tenant?: string;
  settings: Record<string, string>;
  format: "text" | "json";
}

function parseArgs(argv: string[], cwd: string): Args {
  const args: Args = { live: false, settings: {}, format: "text" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--live":
        args.live = true;
        break;
      case "--tenant":
        args.tenant = value();
        break;
      case "--format": {
        const f = value();
        if (f !== "text" && f !== "json") throw new UsageError(`--format must be text or json, got "${f}"`);
        args.format = f;
        break;
      }
      case "--setting": {
        const pair = value();
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`--setting takes NAME=VALUE, got "${pair}"`);
        args.settings[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case "--settings": {
        const path = resolve(cwd, value());
        let doc: unknown;
        try {
          doc = JSON.parse(readFileSync(path, "utf8"));
        } catch (err) {
          throw new UsageError(`cannot read settings file ${path}: ${(err as Error).message}`);
        }
        const values = (doc as { Values?: unknown })?.Values ?? doc;
        if (!values || typeof values !== "object") throw new UsageError(`${path} holds no settings object`);
        for (const [k, v] of Object.entries(values)) if (typeof v === "string") args.settings[k] = v;
        break;
      }
      default:
        throw new UsageError(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  if (args.live && args.tenant) throw new UsageError("choose --live or --tenant, not both");
  return args;
}

export const command: Command = {
  name: "doctor",
  summary: "Check settings, permissions, Event Grid wiring and the store; say how to fix what is wrong",
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv, io.cwd);
    const env = { ...io.env, ...args.settings };
    let opened;
    try {
      opened = await openDoctor({
        live: args.live,
        env,
        cwd: io.cwd,
        ...(args.tenant ? { snapshot: args.tenant } : {}),
      });
    } catch (err) {
      throw new UsageError(
        `cannot open the ${args.live ? "live tenant" : "tenant snapshot"}: ${(err as Error).message}`,
      );
    }
    try {
      const reports = await runDoctor(opened.ctx);
      io.stdout.write(args.format === "json" ? formatJson(reports) : formatText(reports));
      return exitCodeOf(reports);
    } finally {
      await opened.close();
    }
  },
};
