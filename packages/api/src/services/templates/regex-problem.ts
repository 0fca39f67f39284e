/** Why a pattern does not compile the way the agent compiles it (`i`), or null when it does. */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source, "i");
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : "not a valid regular expression";
  }
}
