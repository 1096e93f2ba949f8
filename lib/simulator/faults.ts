// Fault injection: a list of specs matched against each call (and each $batch sub-request) in order.
// A spec with `times` stops matching once used up. Latency stacks with any other fault; the first
// non-latency fault that matches decides the outcome.
import type { FaultKind, FaultSpec, Service } from "./types";

interface ActiveFault extends FaultSpec {
  id: number;
  used: number;
}

export interface FaultDecision {
  /** Extra delay before answering (sum of matching latency faults). */
  latencyMs: number;
  /** The fault that replaces the normal answer, if any. */
  fault: ActiveFault | null;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Adds a fault; returns its id for `remove`. */
  add(spec: FaultSpec): number {
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1))
      throw new RangeError(`fault times must be a positive integer, got ${spec.times}`);
    if (spec.kind === "latency" && !(typeof spec.latencyMs === "number" && spec.latencyMs >= 0))
      throw new RangeError("a latency fault needs latencyMs >= 0");
    const id = this.nextId++;
    this.faults.push({ ...spec, id, used: 0 });
    return id;
  }

  remove(id: number): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  clear(): void {
    this.faults = [];
  }

  get active(): readonly FaultSpec[] {
    return this.faults;
  }

  /** Consumes the faults that apply to this call. */
  decide(method: string, path: string, service: Service): FaultDecision {
    let latencyMs = 0;
    let fault: ActiveFault | null = null;
    for (const f of this.faults) {
      if (!matches(f, method, path, service)) continue;
      if (f.kind === "latency") {
        latencyMs += f.latencyMs ?? 0;
        f.used++;
      } else if (!fault) {
        fault = f;
        f.used++;
      }
    }
    this.faults = this.faults.filter((f) => f.times === undefined || f.used < f.times);
    return { latencyMs, fault };
  }
}

function matches(f: ActiveFault, method: string, path: string, service: Service): boolean {
  const m = f.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.service && m.service !== service) return false;
  if (m.pathPattern) {
    m.pathPattern.lastIndex = 0; // a /g pattern would otherwise match every other call
    if (!m.pathPattern.test(path)) return false;
  }
  return true;
}

export const RESPONSE_FAULTS: readonly FaultKind[] = ["429", "500", "503", "403"];
