import type { CityContext } from "../../types";
import { approve, type ApproveParameters, type ApproveReturnType } from "../../actions/currency/approve";
import { attestReserve, type AttestReserveParameters, type AttestReserveReturnType } from "../../actions/currency/attestReserve";
import { getAllowance, type GetAllowanceParameters, type GetAllowanceReturnType } from "../../actions/currency/getAllowance";
import { getBalance, type GetBalanceParameters, type GetBalanceReturnType } from "../../actions/currency/getBalance";
import { getReserve, type GetReserveParameters, type GetReserveReturnType } from "../../actions/currency/getReserve";
import { getTotalSupply, type GetTotalSupplyParameters, type GetTotalSupplyReturnType } from "../../actions/currency/getTotalSupply";
import { issue, type IssueParameters, type IssueReturnType } from "../../actions/currency/issue";
import { permit, type PermitParameters, type PermitReturnType } from "../../actions/currency/permit";
import { relayPermit, type RelayPermitParameters, type RelayPermitReturnType } from "../../actions/currency/relayPermit";
import { redeem, type RedeemParameters, type RedeemReturnType } from "../../actions/currency/redeem";
import { signPermit, type SignPermitParameters, type SignPermitReturnType } from "../../actions/currency/signPermit";
import { transfer, type TransferParameters, type TransferReturnType } from "../../actions/currency/transfer";
import { transferFrom, type TransferFromParameters, type TransferFromReturnType } from "../../actions/currency/transferFrom";

/**
 * The currency actions (CityCoin), bound to a city client: `city.currency.getBalance({ address })`.
 *
 * @example
 * ```ts
 * const currency: CurrencyActions = city.currency;
 * await currency.transfer({ to, amount: parseCity("12.5") });
 * ```
 */
export interface CurrencyActions {
  /** {@link getBalance} */
  getBalance: (parameters: GetBalanceParameters) => Promise<GetBalanceReturnType>;
  /** {@link getAllowance} */
  getAllowance: (parameters: GetAllowanceParameters) => Promise<GetAllowanceReturnType>;
  /** {@link getReserve} */
  getReserve: (parameters?: GetReserveParameters) => Promise<GetReserveReturnType>;
  /** {@link getTotalSupply} */
  getTotalSupply: (parameters?: GetTotalSupplyParameters) => Promise<GetTotalSupplyReturnType>;
  /** {@link transfer} */
  transfer: (parameters: TransferParameters) => Promise<TransferReturnType>;
  /** {@link approve} */
  approve: (parameters: ApproveParameters) => Promise<ApproveReturnType>;
  /** {@link signPermit} (off chain) */
  signPermit: (parameters: SignPermitParameters) => Promise<SignPermitReturnType>;
  /** {@link permit} */
  permit: (parameters: PermitParameters) => Promise<PermitReturnType>;
  /** {@link relayPermit}: sign a permit and have the ledger node submit it (no gas) */
  relayPermit: (parameters: RelayPermitParameters) => Promise<RelayPermitReturnType>;
  /** {@link transferFrom} (optionally with a permit) */
  transferFrom: (parameters: TransferFromParameters) => Promise<TransferFromReturnType>;
  /** {@link redeem} */
  redeem: (parameters: RedeemParameters) => Promise<RedeemReturnType>;
  /** {@link issue} (ISSUER) */
  issue: (parameters: IssueParameters) => Promise<IssueReturnType>;
  /** {@link attestReserve} (RESERVE_ATTESTER, never an ISSUER) */
  attestReserve: (parameters: AttestReserveParameters) => Promise<AttestReserveReturnType>;
}

/**
 * Binds the currency actions to `context`.
 *
 * @example
 * ```ts
 * const currency = currencyActions({ publicClient, addresses: deployment.addresses });
 * await currency.getTotalSupply();
 * ```
 */
export function currencyActions(context: CityContext): CurrencyActions {
  return {
    getBalance: (parameters) => getBalance(context, parameters),
    getAllowance: (parameters) => getAllowance(context, parameters),
    getReserve: (parameters) => getReserve(context, parameters),
    getTotalSupply: (parameters) => getTotalSupply(context, parameters),
    transfer: (parameters) => transfer(context, parameters),
    approve: (parameters) => approve(context, parameters),
    signPermit: (parameters) => signPermit(context, parameters),
    permit: (parameters) => permit(context, parameters),
    relayPermit: (parameters) => relayPermit(context, parameters),
    transferFrom: (parameters) => transferFrom(context, parameters),
    redeem: (parameters) => redeem(context, parameters),
    issue: (parameters) => issue(context, parameters),
    attestReserve: (parameters) => attestReserve(context, parameters),
  };
}
