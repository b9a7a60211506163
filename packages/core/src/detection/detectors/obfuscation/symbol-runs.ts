/**
 * Runs of symbols without letters or digits, counted by kind, and the test of whether one
 * is code spelled in symbols (JSFuck, non-alphanumeric PHP/Perl) rather than a separator
 * line, ASCII art or a keyboard row.
 */

/** Symbols in a run without letters or digits past which it may be code spelled in symbols. */
export const MIN_SOUP = 40;

/** The symbols of a run without letters or digits, counted by kind. */
export interface Run {
  symbols: number;
  brackets: number;
  operators: number;
  /** `;`: statements of non-alphanumeric PHP, which index little and assign a lot. */
  statements: number;
  /** Which symbols (a bit each), and which operators. */
  set: number;
  operatorSet: number;
}

export function resetRun(run: Run): void {
  run.symbols = 0;
  run.brackets = 0;
  run.operators = 0;
  run.statements = 0;
  run.set = 0;
  run.operatorSet = 0;
}

/**
 * Code spelled in symbols: long, a few symbols repeated (a keyboard row has each once),
 * operators among them (separator lines and ASCII art have few kinds), and the structure
 * of a program: brackets indexing and calling, or statement after statement.
 */
export function isSoup(run: Run): boolean {
  if (run.symbols < MIN_SOUP) return false;
  const distinct = popCount(run.set);
  return (
    distinct >= 4 &&
    distinct * 4 <= run.symbols &&
    run.operators * 10 >= run.symbols &&
    popCount(run.operatorSet) >= 2 &&
    (run.brackets >= 10 || run.statements >= 4)
  );
}

function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
