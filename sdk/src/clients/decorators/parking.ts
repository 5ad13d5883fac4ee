import type { CityContext } from "../../types";
import { getSpot, type GetSpotParameters, type GetSpotReturnType } from "../../actions/parking/getSpot";
import { getSpotCount, type GetSpotCountParameters, type GetSpotCountReturnType } from "../../actions/parking/getSpotCount";
import { getBooking, type GetBookingParameters, type GetBookingReturnType } from "../../actions/parking/getBooking";
import { quote, type QuoteParameters, type QuoteReturnType } from "../../actions/parking/quote";
import { userOf, type UserOfParameters, type UserOfReturnType } from "../../actions/parking/userOf";
import { userExpires, type UserExpiresParameters, type UserExpiresReturnType } from "../../actions/parking/userExpires";
import { list, type ListParameters, type ListReturnType } from "../../actions/parking/list";
import { edit, type EditParameters, type EditReturnType } from "../../actions/parking/edit";
import { pause, type PauseParameters, type PauseReturnType } from "../../actions/parking/pause";
import { resume, type ResumeParameters, type ResumeReturnType } from "../../actions/parking/resume";
import { delist, type DelistParameters, type DelistReturnType } from "../../actions/parking/delist";
import { blockDays, type BlockDaysParameters, type BlockDaysReturnType } from "../../actions/parking/blockDays";
import { unblockDays, type UnblockDaysParameters, type UnblockDaysReturnType } from "../../actions/parking/unblockDays";
import { book, type BookParameters, type BookReturnType } from "../../actions/parking/book";
import { bookWithPermit, type BookWithPermitParameters, type BookWithPermitReturnType } from "../../actions/parking/bookWithPermit";
import { cancel, type CancelParameters, type CancelReturnType } from "../../actions/parking/cancel";
import { checkIn, type CheckInParameters, type CheckInReturnType } from "../../actions/parking/checkIn";
import { checkOut, type CheckOutParameters, type CheckOutReturnType } from "../../actions/parking/checkOut";
import { openDispute, type OpenDisputeParameters, type OpenDisputeReturnType } from "../../actions/parking/openDispute";
import { resolveDispute, type ResolveDisputeParameters, type ResolveDisputeReturnType } from "../../actions/parking/resolveDispute";
import { payout, type PayoutParameters, type PayoutReturnType } from "../../actions/parking/payout";
import { withdrawCredit, type WithdrawCreditParameters, type WithdrawCreditReturnType } from "../../actions/parking/withdrawCredit";
import { getCredit, type GetCreditParameters, type GetCreditReturnType } from "../../actions/parking/getCredit";
import { rate, type RateParameters, type RateReturnType } from "../../actions/parking/rate";

/**
 * The parking actions (ParkingExchange), bound to a city client: `city.parking.book({ spotId, start, end })`.
 *
 * @example
 * ```ts
 * const parking: ParkingActions = city.parking;
 * const { total } = await parking.quote({ spotId: 1n, start, end });
 * ```
 */
export interface ParkingActions {
  /** {@link getSpot} */
  getSpot: (parameters: GetSpotParameters) => Promise<GetSpotReturnType>;
  /** {@link getSpotCount} */
  getSpotCount: (parameters?: GetSpotCountParameters) => Promise<GetSpotCountReturnType>;
  /** {@link getBooking} */
  getBooking: (parameters: GetBookingParameters) => Promise<GetBookingReturnType>;
  /** {@link quote} */
  quote: (parameters: QuoteParameters) => Promise<QuoteReturnType>;
  /** {@link userOf} */
  userOf: (parameters: UserOfParameters) => Promise<UserOfReturnType>;
  /** {@link userExpires} */
  userExpires: (parameters: UserExpiresParameters) => Promise<UserExpiresReturnType>;
  /** {@link list} */
  list: (parameters: ListParameters) => Promise<ListReturnType>;
  /** {@link edit} */
  edit: (parameters: EditParameters) => Promise<EditReturnType>;
  /** {@link pause} */
  pause: (parameters: PauseParameters) => Promise<PauseReturnType>;
  /** {@link resume} */
  resume: (parameters: ResumeParameters) => Promise<ResumeReturnType>;
  /** {@link delist} */
  delist: (parameters: DelistParameters) => Promise<DelistReturnType>;
  /** {@link blockDays} */
  blockDays: (parameters: BlockDaysParameters) => Promise<BlockDaysReturnType>;
  /** {@link unblockDays} */
  unblockDays: (parameters: UnblockDaysParameters) => Promise<UnblockDaysReturnType>;
  /** {@link book} */
  book: (parameters: BookParameters) => Promise<BookReturnType>;
  /** {@link bookWithPermit} */
  bookWithPermit: (parameters: BookWithPermitParameters) => Promise<BookWithPermitReturnType>;
  /** {@link cancel} */
  cancel: (parameters: CancelParameters) => Promise<CancelReturnType>;
  /** {@link checkIn} */
  checkIn: (parameters: CheckInParameters) => Promise<CheckInReturnType>;
  /** {@link checkOut} */
  checkOut: (parameters: CheckOutParameters) => Promise<CheckOutReturnType>;
  /** {@link openDispute} */
  openDispute: (parameters: OpenDisputeParameters) => Promise<OpenDisputeReturnType>;
  /** {@link resolveDispute} (ARBITER) */
  resolveDispute: (parameters: ResolveDisputeParameters) => Promise<ResolveDisputeReturnType>;
  /** {@link payout} */
  payout: (parameters: PayoutParameters) => Promise<PayoutReturnType>;
  /** {@link rate} */
  rate: (parameters: RateParameters) => Promise<RateReturnType>;
  /** {@link withdrawCredit} */
  withdrawCredit: (parameters: WithdrawCreditParameters) => Promise<WithdrawCreditReturnType>;
  /** {@link getCredit} */
  getCredit: (parameters: GetCreditParameters) => Promise<GetCreditReturnType>;
}

/**
 * Binds the parking actions to `context`.
 *
 * @example
 * ```ts
 * const parking = parkingActions({ publicClient, walletClient, addresses: deployment.addresses });
 * await parking.bookWithPermit({ spotId: 1n, start, end: start + 3600 });
 * ```
 */
export function parkingActions(context: CityContext): ParkingActions {
  return {
    getSpot: (parameters) => getSpot(context, parameters),
    getSpotCount: (parameters) => getSpotCount(context, parameters),
    getBooking: (parameters) => getBooking(context, parameters),
    quote: (parameters) => quote(context, parameters),
    userOf: (parameters) => userOf(context, parameters),
    userExpires: (parameters) => userExpires(context, parameters),
    list: (parameters) => list(context, parameters),
    edit: (parameters) => edit(context, parameters),
    pause: (parameters) => pause(context, parameters),
    resume: (parameters) => resume(context, parameters),
    delist: (parameters) => delist(context, parameters),
    blockDays: (parameters) => blockDays(context, parameters),
    unblockDays: (parameters) => unblockDays(context, parameters),
    book: (parameters) => book(context, parameters),
    bookWithPermit: (parameters) => bookWithPermit(context, parameters),
    cancel: (parameters) => cancel(context, parameters),
    checkIn: (parameters) => checkIn(context, parameters),
    checkOut: (parameters) => checkOut(context, parameters),
    openDispute: (parameters) => openDispute(context, parameters),
    resolveDispute: (parameters) => resolveDispute(context, parameters),
    payout: (parameters) => payout(context, parameters),
    rate: (parameters) => rate(context, parameters),
    withdrawCredit: (parameters) => withdrawCredit(context, parameters),
    getCredit: (parameters) => getCredit(context, parameters),
  };
}
