// Microsoft.Resources providers: list, get, register, unregister. A register/unregister answers with the
// transient state (Registering/Unregistering) and settles after `providerSettleGets` reads, as ARM does.
import { armError, json } from "../errors";
import { lower, type ProviderState, type SubscriptionState } from "../state";
import type { Route, RouteContext } from "./route";

const SETTLED: Record<string, string> = { Registering: "Registered", Unregistering: "NotRegistered" };

function providerBody(sub: SubscriptionState, p: ProviderState) {
  return {
    id: `/subscriptions/${sub.id}/providers/${p.namespace}`,
    namespace: p.namespace,
    registrationState: p.registrationState,
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [],
  };
}

/** A read lets a transient state progress. */
function observe(p: ProviderState): void {
  const settled = SETTLED[p.registrationState];
  if (!settled) return;
  if (p.settlesAfterGets <= 0) p.registrationState = settled;
  else p.settlesAfterGets--;
}

function subscription(ctx: RouteContext): SubscriptionState | null {
  return ctx.state.subscriptions.get(lower(ctx.params[0] ?? "")) ?? null;
}

function subscriptionNotFound(ctx: RouteContext) {
  return armError(404, "SubscriptionNotFound", `The subscription '${ctx.params[0]}' could not be found.`);
}

function namespaceNotFound(ns: string) {
  return armError(404, "InvalidResourceNamespace", `The resource namespace '${ns}' is invalid.`);
}

function list(ctx: RouteContext) {
  const sub = subscription(ctx);
  if (!sub) return subscriptionNotFound(ctx);
  const value = [...sub.providers.values()].map((p) => {
    observe(p);
    return providerBody(sub, p);
  });
  return json(200, { value });
}

function get(ctx: RouteContext) {
  const sub = subscription(ctx);
  if (!sub) return subscriptionNotFound(ctx);
  const ns = ctx.params[1] ?? "";
  const p = sub.providers.get(lower(ns));
  if (!p) return namespaceNotFound(ns);
  observe(p);
  return json(200, providerBody(sub, p));
}

const TRANSITIONS: Record<string, { from: string[]; via: string; to: string }> = {
  register: { from: ["NotRegistered", "Unregistering"], via: "Registering", to: "Registered" },
  unregister: { from: ["Registered", "Registering"], via: "Unregistering", to: "NotRegistered" },
};

function change(ctx: RouteContext) {
  const sub = subscription(ctx);
  if (!sub) return subscriptionNotFound(ctx);
  const ns = ctx.params[1] ?? "";
  const t = TRANSITIONS[lower(ctx.params[2] ?? "")];
  const p = sub.providers.get(lower(ns));
  if (!p || !t) return namespaceNotFound(ns);
  if (t.from.includes(p.registrationState)) {
    p.registrationState = ctx.options.providerSettleGets > 0 ? t.via : t.to;
    p.settlesAfterGets = ctx.options.providerSettleGets - 1;
  }
  return json(200, providerBody(sub, p));
}

export const providerRoutes: Route[] = [
  {
    service: "arm",
    method: "GET",
    name: "providers.list",
    pattern: /^\/subscriptions\/([^/]+)\/providers$/i,
    handle: list,
  },
  {
    service: "arm",
    method: "GET",
    name: "providers.get",
    pattern: /^\/subscriptions\/([^/]+)\/providers\/([^/]+)$/i,
    handle: get,
  },
  {
    service: "arm",
    method: "POST",
    name: "providers.registration",
    pattern: /^\/subscriptions\/([^/]+)\/providers\/([^/]+)\/(register|unregister)$/i,
    handle: change,
  },
];
