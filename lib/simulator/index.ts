// Public surface of the tenant simulator.
export { Simulator, createSimulatorFromSnapshot, type SimulatorOptions } from "./simulator";
export { startSimulatorServer, type SimulatorServer, type SimulatorServerOptions } from "./server";
export { generateSelfSignedCertificate, type TlsMaterial } from "./tls";
export { generateLargeTenant, type LargeTenantOptions } from "./large-tenant";
export type { FaultKind, FaultSpec, SimCall, SimOutcome, SimRequest, SimResponse, Service } from "./types";
export type { SimOptions } from "./routes/route";
