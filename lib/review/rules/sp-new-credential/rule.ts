import type { Rule } from "../../rule";
import { guidOf } from "../../context";
import { describePrincipal, inRange } from "../../facts";

// A fresh secret on the app that then unregisters a defense provider is the classic stolen-app pattern.
// Disabling the service principal stops a live intruder but also the app's real work: only by explicit policy.
export const rule: Rule = {
  id: "SP-NEW-CREDENTIAL",
  title: "The acting service principal's application gained a credential",
  description:
    "The actor is a service principal whose application registration got a new password or certificate " +
    "(startDateTime) in the lookback before the event. No action unless the policy opts into " +
    "disable-service-principal.",
  defaultSeverity: "high",
  action: "none",
  optionalActions: ["disable-service-principal"],
  appliesTo: ["provider-unregister"],
  evaluate(ctx) {
    const actor = ctx.actor;
    const appId = guidOf(actor.appId);
    if (actor.type !== "servicePrincipal" || !appId || !actor.objectId) return [];
    const app = ctx.applications.get(appId);
    if (!app) return [];
    const fresh = app.credentials.filter((c) => inRange(c.startDateTime, ctx.window.from, ctx.window.at));
    if (fresh.length === 0) return [];
    const lookbackHours = Math.round((ctx.window.at.getTime() - ctx.window.from.getTime()) / 3_600_000);
    const list = fresh
      .map((c) => `${c.kind} "${c.displayName ?? c.keyId}" (key ${c.keyId}) valid from ${c.startDateTime}`)
      .join("; ");
    return [
      {
        rule: "SP-NEW-CREDENTIAL",
        severity: "high",
        reason:
          `The actor, ${describePrincipal(ctx, actor.objectId)}, belongs to application ${app.displayName ?? app.appId} ` +
          `(appId ${app.appId}), which gained ${fresh.length} credential(s) in the ${lookbackHours} h before the event: ${list}.`,
        action: "none",
        principalId: actor.objectId,
      },
    ];
  },
};
