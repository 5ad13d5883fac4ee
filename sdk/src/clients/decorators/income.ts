import type { CityContext } from "../../types";
import { claim, type ClaimParameters, type ClaimReturnType } from "../../actions/income/claim";
import { createProgram, type CreateProgramParameters, type CreateProgramReturnType } from "../../actions/income/createProgram";
import { fund, type FundParameters, type FundReturnType } from "../../actions/income/fund";
import { getCurrentPeriod, type GetCurrentPeriodParameters, type GetCurrentPeriodReturnType } from "../../actions/income/getCurrentPeriod";
import { getPeriod, type GetPeriodParameters, type GetPeriodReturnType } from "../../actions/income/getPeriod";
import { getProgram, type GetProgramParameters, type GetProgramReturnType } from "../../actions/income/getProgram";
import { getProgramCount, type GetProgramCountParameters, type GetProgramCountReturnType } from "../../actions/income/getProgramCount";
import { hasClaimed, type HasClaimedParameters, type HasClaimedReturnType } from "../../actions/income/hasClaimed";

/**
 * The basic-income actions (BasicIncome), bound to a city client: `city.income.claim({ programId })`.
 *
 * @example
 * ```ts
 * const income: IncomeActions = city.income;
 * const period = await income.getCurrentPeriod({ programId: 1n });
 * ```
 */
export interface IncomeActions {
  /** {@link getProgram} */
  getProgram: (parameters: GetProgramParameters) => Promise<GetProgramReturnType>;
  /** {@link getProgramCount} */
  getProgramCount: (parameters?: GetProgramCountParameters) => Promise<GetProgramCountReturnType>;
  /** {@link getCurrentPeriod} */
  getCurrentPeriod: (parameters: GetCurrentPeriodParameters) => Promise<GetCurrentPeriodReturnType>;
  /** {@link getPeriod} */
  getPeriod: (parameters: GetPeriodParameters) => Promise<GetPeriodReturnType>;
  /** {@link hasClaimed} */
  hasClaimed: (parameters: HasClaimedParameters) => Promise<HasClaimedReturnType>;
  /** {@link claim} */
  claim: (parameters: ClaimParameters) => Promise<ClaimReturnType>;
  /** {@link createProgram} (COUNCIL) */
  createProgram: (parameters: CreateProgramParameters) => Promise<CreateProgramReturnType>;
  /** {@link fund} */
  fund: (parameters: FundParameters) => Promise<FundReturnType>;
}

/**
 * Binds the basic-income actions to `context`.
 *
 * @example
 * ```ts
 * const income = incomeActions({ publicClient, walletClient, addresses: deployment.addresses });
 * await income.claim({ programId: 1n });
 * ```
 */
export function incomeActions(context: CityContext): IncomeActions {
  return {
    getProgram: (parameters) => getProgram(context, parameters),
    getProgramCount: (parameters) => getProgramCount(context, parameters),
    getCurrentPeriod: (parameters) => getCurrentPeriod(context, parameters),
    getPeriod: (parameters) => getPeriod(context, parameters),
    hasClaimed: (parameters) => hasClaimed(context, parameters),
    claim: (parameters) => claim(context, parameters),
    createProgram: (parameters) => createProgram(context, parameters),
    fund: (parameters) => fund(context, parameters),
  };
}
