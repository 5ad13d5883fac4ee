import type { CityContext } from "../../types";
import { ask, type AskParameters, type AskReturnType } from "../../actions/energy/ask";
import { bid, type BidParameters, type BidReturnType } from "../../actions/energy/bid";
import { cancelOrder, type CancelOrderParameters, type CancelOrderReturnType } from "../../actions/energy/cancelOrder";
import { clear, type ClearParameters, type ClearReturnType } from "../../actions/energy/clear";
import { settle, type SettleParameters, type SettleReturnType } from "../../actions/energy/settle";
import { deposit, type DepositParameters, type DepositReturnType } from "../../actions/energy/deposit";
import { claimRefund, type ClaimRefundParameters, type ClaimRefundReturnType } from "../../actions/energy/claimRefund";
import { signReading, type SignReadingParameters, type SignReadingReturnType } from "../../actions/energy/signReading";
import { recordReadings, type RecordReadingsParameters, type RecordReadingsReturnType } from "../../actions/energy/recordReadings";
import { getOrder, type GetOrderParameters, type GetOrderReturnType } from "../../actions/energy/getOrder";
import { getSlotResult, type GetSlotResultParameters, type GetSlotResultReturnType } from "../../actions/energy/getSlotResult";
import { getBook, type GetBookParameters, type GetBookReturnType } from "../../actions/energy/getBook";
import { getMarketBalance, type GetMarketBalanceParameters, type GetMarketBalanceReturnType } from "../../actions/energy/getMarketBalance";

/**
 * The energy market actions (EnergyMarket), bound to a city client: `city.energy.bid({ slot, meter, wh, maxPrice })`.
 *
 * @example
 * ```ts
 * const energy: EnergyActions = city.energy;
 * const { price, volume } = await energy.getSlotResult({ slot });
 * ```
 */
export interface EnergyActions {
  /** {@link ask} */
  ask: (parameters: AskParameters) => Promise<AskReturnType>;
  /** {@link bid} */
  bid: (parameters: BidParameters) => Promise<BidReturnType>;
  /** {@link cancelOrder} */
  cancel: (parameters: CancelOrderParameters) => Promise<CancelOrderReturnType>;
  /** {@link clear} */
  clear: (parameters: ClearParameters) => Promise<ClearReturnType>;
  /** {@link settle} */
  settle: (parameters: SettleParameters) => Promise<SettleReturnType>;
  /** {@link deposit} */
  deposit: (parameters: DepositParameters) => Promise<DepositReturnType>;
  /** {@link claimRefund} */
  claimRefund: (parameters?: ClaimRefundParameters) => Promise<ClaimRefundReturnType>;
  /** {@link signReading} (the client's account is the meter's key) */
  signReading: (parameters: SignReadingParameters) => Promise<SignReadingReturnType>;
  /** {@link recordReadings} */
  recordReadings: (parameters: RecordReadingsParameters) => Promise<RecordReadingsReturnType>;
  /** {@link getOrder} */
  getOrder: (parameters: GetOrderParameters) => Promise<GetOrderReturnType>;
  /** {@link getSlotResult} */
  getSlotResult: (parameters: GetSlotResultParameters) => Promise<GetSlotResultReturnType>;
  /** {@link getBook} */
  getBook: (parameters: GetBookParameters) => Promise<GetBookReturnType>;
  /** {@link getMarketBalance} */
  getMarketBalance: (parameters: GetMarketBalanceParameters) => Promise<GetMarketBalanceReturnType>;
}

/**
 * Binds the energy actions to `context`.
 *
 * @example
 * ```ts
 * const energy = energyActions({ publicClient, walletClient, addresses: deployment.addresses });
 * await energy.clear({ slot, wait: true });
 * ```
 */
export function energyActions(context: CityContext): EnergyActions {
  return {
    ask: (parameters) => ask(context, parameters),
    bid: (parameters) => bid(context, parameters),
    cancel: (parameters) => cancelOrder(context, parameters),
    clear: (parameters) => clear(context, parameters),
    settle: (parameters) => settle(context, parameters),
    deposit: (parameters) => deposit(context, parameters),
    claimRefund: (parameters) => claimRefund(context, parameters),
    signReading: (parameters) => signReading(context, parameters),
    recordReadings: (parameters) => recordReadings(context, parameters),
    getOrder: (parameters) => getOrder(context, parameters),
    getSlotResult: (parameters) => getSlotResult(context, parameters),
    getBook: (parameters) => getBook(context, parameters),
    getMarketBalance: (parameters) => getMarketBalance(context, parameters),
  };
}
