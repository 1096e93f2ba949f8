import type { NamespaceGroup, Severity } from "../../../classify/types";
import type { Rule } from "../../rule";
import { describePrincipal } from "../../facts";

/** Only these groups are worth re-registering; the severity follows DESIGN.md's classification table. */
const SEVERITY_BY_GROUP: Partial<Record<NamespaceGroup, Severity>> = {
  defense: "critical",
  identity: "high",
};

const GROUP_WORDS: Record<NamespaceGroup, string> = {
  defense: "a defense provider (its removal blinds security monitoring)",
  identity: "an identity provider",
  other: "a provider",
};

export const rule: Rule = {
  id: "RP-UNREGISTERED",
  title: "Security-relevant resource provider unregistered",
  description:
    "A provider of the defense or identity group was successfully unregistered. Proposes registering it again. " +
    "Failed, canceled or in-flight unregisters unregistered nothing and raise no finding.",
  defaultSeverity: "high",
  action: "register-provider",
  appliesTo: ["provider-unregister"],
  evaluate(ctx) {
    const c = ctx.classification;
    const severity = c.group ? SEVERITY_BY_GROUP[c.group] : undefined;
    if (ctx.anchor.status !== "succeeded" || !c.namespace || !c.group || !severity) return [];
    return [
      {
        rule: "RP-UNREGISTERED",
        severity,
        reason:
          `${describePrincipal(ctx, ctx.actor.objectId)} unregistered ${c.namespace}, ${GROUP_WORDS[c.group]}, ` +
          `on subscription ${ctx.subscriptionId} at ${ctx.anchor.time}.`,
        action: "register-provider",
        namespace: c.namespace,
        scope: `/subscriptions/${ctx.subscriptionId}`,
      },
    ];
  },
};
