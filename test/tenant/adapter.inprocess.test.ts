// The adapter suite over the in-process mount (no sockets): what offline replay uses.
import { Simulator } from "../../lib/simulator/simulator";
import { createAzureTenant, staticTokenCredential } from "../../lib/tenant/azure";
import { adapterSuite } from "./adapter-suite";

adapterSuite("in-process", async (snapshot, options) => {
  const simulator = new Simulator(snapshot, options);
  return {
    simulator,
    tenant: (tuning) =>
      createAzureTenant({
        tenantId: snapshot.tenantId,
        credential: staticTokenCredential(),
        armEndpoint: "https://management.simulator.invalid",
        graphEndpoint: "https://graph.simulator.invalid",
        httpClient: simulator.httpClient(),
        graphMiddleware: simulator.graphMiddleware(),
        ...tuning,
      }),
    close: async () => {},
  };
});
