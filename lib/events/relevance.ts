// The fast path's one question: can this raw record text possibly be relevant (kind not `other`)?
// Relevant operation names all contain "register" (register, unregister, features/(un)register) or
// "roleAssignments/" (`\/` when escaped; plain "roleAssignments" would hit every evidence block's
// `roleAssignmentScope` key), matched case-insensitively. JSON can only hide a letter of those words behind a
// \uXXXX escape (`\/` leaves the words intact), so any text with a backslash-u is treated as possibly
// relevant too. A false "maybe" costs one JSON.parse; a false "no" would lose an attack, so there is none.

/** Global, for scanning a whole chunk; reset lastIndex before use. */
export const MAYBE_RELEVANT_GLOBAL = /register|roleassignments\\?\/|\\u/gi;
const MAYBE_RELEVANT = /register|roleassignments\\?\/|\\u/i;

export function mayBeRelevant(rawText: string): boolean {
  return MAYBE_RELEVANT.test(rawText);
}
