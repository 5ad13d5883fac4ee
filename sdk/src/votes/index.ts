/**
 * Participatory-budget rules and interchange, pure and browser-safe: exact rationals, the greedy rule, the Method of
 * Equal Shares with its completions, the rule a round records, and pabulib `.pb` import/export.
 */
export { Rational, RationalError, gcd, type RationalErrorType } from "./rational";
export {
  InvalidElectionError,
  compareProjectIds,
  isExhaustive,
  totalCost,
  type BudgetElection,
  type BudgetProject,
  type BudgetVoter,
  type InvalidElectionErrorType,
  type TieBreaker,
  type TieBreaking,
} from "./election";
export { GREEDY_TIE_BREAKING, greedy, type BudgetOutcome, type GreedyOptions } from "./greedy";
export {
  EQUAL_SHARES_TIE_BREAKING,
  equalShares,
  equalSharesCompletions,
  type EqualSharesCompletion,
  type EqualSharesOptions,
  type EqualSharesResult,
} from "./equalShares";
export {
  PABULIB_SHARE_KEY,
  PabulibError,
  electionFromPabulib,
  formatPabulib,
  pabulibFromElection,
  pabulibRuleMeta,
  parsePabulib,
  publishedWinners,
  ruleFromPabulib,
  type PabulibErrorType,
  type PabulibFile,
  type PabulibFromElectionOptions,
} from "./pabulib";
export { budgetRuleName, runBudgetRule, type BudgetRule } from "./rules";
