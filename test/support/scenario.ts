// The demo story's fixed ids (samples/SCENARIO.md), written once for every test fixture built around it.
export { BUILTIN_ROLE } from "../../lib/simulator/builders";

export const TENANT = "7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
/** The foreign tenant (Fabrikam) that owns the foreign service principal. */
export const FABRIKAM = "0c0ffee0-1111-4222-8333-444455556666";
/** The prod subscription. */
export const SUB = "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b";
export const ALEX = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
export const GUEST = "7f1e2d3c-4b5a-4968-8776-655443322110";
export const FOREIGN_SP = "2b3c4d5e-6f70-4819-9a2b-3c4d5e6f7081";
export const BREAK_GLASS = "b1eac1a5-0000-4000-8000-00000000b001";
export const OPS1 = "c0ffee00-aaaa-4bbb-8ccc-000000000001";
export const OPS2 = "c0ffee00-aaaa-4bbb-8ccc-000000000002";
export const RESPONDER = "9e5b0d1e-7e5b-4c1a-9d0e-5f0a1b2c3d4e";
/** The Microsoft.Security unregister (E4), to the millisecond. */
export const T0 = "2025-03-14T09:26:53.589Z";
/** E4's correlation id. */
export const E4_CORR = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

/** The Graph user records of the story's two users whose type the rules judge (member vs guest). */
export const ALEX_USER = {
  "@odata.type": "#microsoft.graph.user",
  id: ALEX,
  displayName: "Alex",
  userPrincipalName: "alex.doe@contoso.example",
  userType: "Member",
  accountEnabled: true,
} as const;
export const GUEST_USER = {
  "@odata.type": "#microsoft.graph.user",
  id: GUEST,
  displayName: "Guest",
  userPrincipalName: "evil_mail.example#EXT#@contoso.onmicrosoft.com",
  userType: "Guest",
  accountEnabled: true,
} as const;
