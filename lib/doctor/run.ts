// Runs the registry of checks and renders the report. A check that throws is a failed check, never a
// crashed doctor.
import { CHECKS } from "./checks";
import type { Check, CheckReport, CheckStatus, DoctorContext } from "./types";

export async function runDoctor(
  ctx: DoctorContext,
  checks: readonly Check[] = CHECKS,
): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const check of checks) {
    let results;
    try {
      results = await check.run(ctx);
    } catch (err) {
      results = [
        {
          status: "fail" as const,
          details: [`the check itself failed: ${err instanceof Error ? err.message : String(err)}`],
        },
      ];
    }
    reports.push({ id: check.id, title: check.title, fix: check.fix, results });
  }
  return reports;
}

export function worstStatus(reports: readonly CheckReport[]): CheckStatus {
  const order: CheckStatus[] = ["ok", "skip", "warn", "fail"];
  let worst: CheckStatus = "ok";
  for (const r of reports)
    for (const res of r.results) if (order.indexOf(res.status) > order.indexOf(worst)) worst = res.status;
  return worst;
}

/** 1 when any check failed (warnings and skips do not fail the run). */
export function exitCodeOf(reports: readonly CheckReport[]): number {
  return worstStatus(reports) === "fail" ? 1 : 0;
}

export function formatText(reports: readonly CheckReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const res of r.results) {
      const head = `${res.status.padEnd(4)}  ${r.id}${res.subject ? ` [${res.subject}]` : ""}: ${r.title}`;
      lines.push(head);
      for (const d of res.details) lines.push(`      - ${d}`);
      if (res.status === "fail") lines.push(`      fix: ${r.fix}`);
    }
  }
  const failed = reports.filter((r) => r.results.some((x) => x.status === "fail")).map((r) => r.id);
  lines.push(
    failed.length ? `\n${failed.length} check(s) failed: ${failed.join(", ")}` : "\nall checks passed",
  );
  return `${lines.join("\n")}\n`;
}

export function formatJson(reports: readonly CheckReport[]): string {
  return reports.map((r) => JSON.stringify(r)).join("\n") + "\n";
}
